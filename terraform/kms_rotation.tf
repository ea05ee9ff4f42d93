# KMS keys (issue 16): with enable_kms_rotation, the rotator also rotates the asymmetric and HMAC KMS keys that carry
# IKR:EMAIL, by moving their aliases to a new key like the old, and the destructor retires the old key (DisableKey,
# then ScheduleKeyDeletion) when its item expires. Its inputs, environment variables and grants live here, each
# present only when enable_kms_rotation is true. The KMS keys of the account and Region, never another's.
#
# Key creator (rotator)
#   kms:ListKeys, kms:ListAliases           every key and alias (not resource-scoped: "*")
#   kms:DescribeKey, kms:ListResourceTags   on key/*: every key is described and reported, tagged or not
#   kms:GetKeyPolicy, kms:GetPublicKey,
#   kms:UpdateAlias, kms:ScheduleKeyDeletion on key/* carrying IKR:EMAIL (aws:ResourceTag): the policy copied to the
#                                           new key, its public key for the mail, the alias moved from the old key to
#                                           the new one (both keys), a new key withdrawn after a failure (7 days)
#   kms:PutKeyPolicy                        on key/* carrying IKR:EMAIL: never called. CreateKey's policy lockout
#                                           safety check refuses a key policy that would not let the caller call
#                                           PutKeyPolicy later; through a key policy that delegates to IAM, this
#                                           grant is what lets it pass
#   kms:UpdateAlias                         on alias/*: UpdateAlias is authorized on the alias too, which has no tags
#   kms:CreateKey, kms:TagResource          "*", only with the tag IKR:EMAIL in the request (aws:RequestTag): the new
#                                           key with the old key's tags. TagResource is never called: CreateKey with
#                                           Tags needs it, in an IAM policy not restricted to particular keys
#   kms:GetKeyRotationStatus,
#   kms:EnableKeyRotation                   on key/* carrying IKR:EMAIL, when kms_enable_auto_rotation
# Key destructor
#   kms:ListAliases                         "*": no alias may point at the old key any more
#   kms:DescribeKey, kms:ListResourceTags   on key/*: the old key must still carry IKR:EMAIL, the new one be enabled
#   kms:DisableKey, kms:ScheduleKeyDeletion on key/* carrying IKR:EMAIL: the retirement
#
# These IAM grants work only for keys whose key policy delegates to IAM (the account principal's statement of the
# default key policy) or names IKR's roles itself. See the README's "KMS keys".

variable "enable_kms_rotation" {
  type        = bool
  default     = false
  description = "ROTATE_KMS_KEYS: the rotator also rotates the asymmetric and HMAC KMS keys that carry IKR:EMAIL, by alias; the destructor retires the old ones. Adds the KMS grants of kms_rotation.tf."
}

variable "kms_rotate_after_days" {
  type        = number
  default     = 365
  description = "KMS_ROTATE_AFTER_DAYS: the age (days) at which a KMS key is rotated, unless its IKR:ROTATE_AFTER_DAYS says otherwise."

  validation {
    condition     = var.kms_rotate_after_days >= 1 && var.kms_rotate_after_days <= 36500 && floor(var.kms_rotate_after_days) == var.kms_rotate_after_days
    error_message = "kms_rotate_after_days must be a whole number of days from 1 to 36500."
  }
}

variable "kms_enable_auto_rotation" {
  type        = bool
  default     = false
  description = "KMS_ENABLE_AUTO_ROTATION: turn on KMS's own automatic rotation of the symmetric keys that carry IKR:EMAIL (with enable_kms_rotation)."
}

variable "kms_pending_window_days" {
  type        = number
  default     = 30
  description = "KMS_PENDING_WINDOW_DAYS: days between a retired KMS key's ScheduleKeyDeletion and its deletion (7 to 30), while CancelKeyDeletion can bring it back."

  validation {
    condition     = var.kms_pending_window_days >= 7 && var.kms_pending_window_days <= 30 && floor(var.kms_pending_window_days) == var.kms_pending_window_days
    error_message = "kms_pending_window_days must be a whole number of days from 7 to 30 (KMS's bounds)."
  }
}

locals {
  kms_keys_arn    = "arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"
  kms_aliases_arn = "arn:${local.partition}:kms:${local.region}:${local.account_id}:alias/*"
  # the owner tag a key must carry for the grants on existing keys (as modules/key-access-policy for users)
  kms_owner_tag_condition_key = "aws:ResourceTag/IKR:EMAIL"

  # Each function's own variables for KMS keys: none unless enable_kms_rotation (main.tf drops the null ones).
  kms_rotation_environment = {
    rotator = { for name, value in {
      ROTATE_KMS_KEYS          = "true"
      KMS_ROTATE_AFTER_DAYS    = tostring(var.kms_rotate_after_days)
      KMS_ENABLE_AUTO_ROTATION = var.kms_enable_auto_rotation ? "true" : null
    } : name => value if var.enable_kms_rotation }
    destructor = { for name, value in {
      KMS_PENDING_WINDOW_DAYS = tostring(var.kms_pending_window_days)
    } : name => value if var.enable_kms_rotation }
  }

  # Statements by function, each present only when its switch is on; "owner" ones hold only for keys that carry
  # IKR:EMAIL, "request" ones only for a request that tags the new key with it.
  kms_rotation_statements = {
    rotator = [for statement in [
      { sid = "ListKmsKeysAndAliases", actions = ["kms:ListKeys", "kms:ListAliases"], resources = ["*"], owner = false, request = false, on = true },
      { sid = "DescribeKmsKeys", actions = ["kms:DescribeKey", "kms:ListResourceTags"], resources = [local.kms_keys_arn], owner = false, request = false, on = true },
      { sid = "RotateKmsKeysOfOwners", actions = ["kms:GetKeyPolicy", "kms:GetPublicKey", "kms:UpdateAlias", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"], resources = [local.kms_keys_arn], owner = true, request = false, on = true },
      { sid = "MoveKmsAliases", actions = ["kms:UpdateAlias"], resources = [local.kms_aliases_arn], owner = false, request = false, on = true },
      { sid = "CreateKmsKeysForOwners", actions = ["kms:CreateKey", "kms:TagResource"], resources = ["*"], owner = false, request = true, on = true },
      { sid = "TurnOnAutomaticRotationOfOwnersSymmetricKeys", actions = ["kms:GetKeyRotationStatus", "kms:EnableKeyRotation"], resources = [local.kms_keys_arn], owner = true, request = false, on = var.kms_enable_auto_rotation },
    ] : statement if var.enable_kms_rotation && statement.on]
    destructor = [for statement in [
      { sid = "ListKmsAliases", actions = ["kms:ListAliases"], resources = ["*"], owner = false, request = false, on = true },
      { sid = "DescribeKmsKeys", actions = ["kms:DescribeKey", "kms:ListResourceTags"], resources = [local.kms_keys_arn], owner = false, request = false, on = true },
      { sid = "RetireKmsKeysOfOwners", actions = ["kms:DisableKey", "kms:ScheduleKeyDeletion"], resources = [local.kms_keys_arn], owner = true, request = false, on = true },
    ] : statement if var.enable_kms_rotation]
  }
}

data "aws_iam_policy_document" "kms_rotation" {
  for_each = local.functions

  dynamic "statement" {
    for_each = local.kms_rotation_statements[each.key]
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.owner ? [local.kms_owner_tag_condition_key] : statement.value.request ? ["aws:RequestTag/IKR:EMAIL"] : []
        content {
          test     = "Null"
          variable = condition.value
          values   = ["false"]
        }
      }
    }
  }
}
