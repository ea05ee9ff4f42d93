# The record key: the symmetric KMS key whose data key seals every table item IKR writes (HMAC-SHA256,
# issue 12). The functions find it in RECORD_KMS_KEY_ID. The data key is made once, by whichever function
# first needs it (kms:GenerateDataKey), kept encrypted in the SSM String parameter /ikr/record-mac-key, and
# decrypted with kms:Decrypt; both calls carry the encryption context purpose = ikr-record-mac.
#
# The key policy is the only policy that can let a principal use a KMS key: a key policy that does not
# allow the account principal (arn:<partition>:iam::<account>:root) an action makes every IAM policy that
# allows it ineffective ("Default key policy", AWS KMS Developer Guide). So this policy
#   - lets the two function roles use the key, for GenerateDataKey and Decrypt only, and only with the
#     encryption context purpose = ikr-record-mac and no other context key;
#   - lets key_admin_principal_arns (default: the account principal, which delegates to the account's IAM
#     policies) administer the key: describe, policy, rotation, tags, alias, enable/disable, deletion. It
#     grants them no cryptographic operation and no kms:CreateGrant, so no IAM policy in the account can
#     grant the key's use. An administrator can still rewrite this policy (kms:PutKeyPolicy); that is what
#     keeps the key manageable, and CloudTrail records it.
# The policy allows the deploying principal to call PutKeyPolicy (through the account principal, or when it
# is listed in key_admin_principal_arns): KMS refuses a key policy that would lock out its caller (the
# lockout safety check), and Terraform itself must be able to read, change and delete the key later.

locals {
  create_record_kms_key = var.record_kms_key_arn == null

  # The key ARN, as the functions and their IAM grants need it (not an alias).
  record_kms_key_arn = local.create_record_kms_key ? aws_kms_key.record[0].arn : var.record_kms_key_arn

  # Where the functions keep the encrypted data key (KmsRecordAuthenticator.SIGNING_KEY_PARAMETER). The name
  # is fixed, so one deployment of IKR per account and region.
  record_mac_key_parameter_arn = "${local.ssm_parameter_arn_prefix}/ikr/record-mac-key"

  # The encryption context both functions send (KmsRecordAuthenticator.ENCRYPTION_CONTEXT).
  record_key_encryption_context = { purpose = "ikr-record-mac" }

  # The variables of the record seal, for both functions. Kept out of local.functions: the key policy names
  # the roles, which are created for_each over local.functions, so the functions' environment there cannot
  # name the key.
  record_environment = { for name, value in {
    RECORD_KMS_KEY_ID = local.record_kms_key_arn
    ADMIN_EMAIL       = var.admin_email
  } : name => value if value != null }

  record_kms_key_admin_arns = coalesce(var.key_admin_principal_arns, ["arn:${local.partition}:iam::${local.account_id}:root"])

  # Administration only: no Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* and no CreateGrant.
  record_kms_key_admin_actions = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:ListKeyPolicies",
    "kms:PutKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:ListKeyRotations",
    "kms:RotateKeyOnDemand",
    "kms:ListResourceTags",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:UpdateKeyDescription",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:ListGrants",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
  ]
}

data "aws_iam_policy_document" "record_kms_key" {
  statement {
    sid       = "AdministerTheKeyButNeverUseIt"
    actions   = local.record_kms_key_admin_actions
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = local.record_kms_key_admin_arns
    }
  }

  statement {
    sid       = "IkrSealsAndChecksTableItems"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [for key in sort(keys(local.functions)) : aws_iam_role.this[key].arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:purpose"
      values   = [local.record_key_encryption_context.purpose]
    }

    # No other context pair: a set operator on the multivalued kms:EncryptionContextKeys.
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "kms:EncryptionContextKeys"
      values   = keys(local.record_key_encryption_context)
    }
  }
}

resource "aws_kms_key" "record" {
  count = local.create_record_kms_key ? 1 : 0

  description              = "IKR: seals the items of the ${var.table_name} table (HMAC data key in SSM /ikr/record-mac-key)"
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = true
  deletion_window_in_days  = var.record_kms_key_deletion_window_in_days
  policy                   = data.aws_iam_policy_document.record_kms_key.json
  tags                     = var.tags
}

resource "aws_kms_alias" "record" {
  count = local.create_record_kms_key ? 1 : 0

  name          = "alias/ikr-records"
  target_key_id = aws_kms_key.record[0].key_id
}
