# The member role of one account: what the hub's rotator and destructor may do there. The delivery inputs and
# encrypt_key_pair / secret_kms_key_arn must be the hub's: they decide the same statements (and are checked
# by the same rules, in modules/key-access-policy).

variable "hub_rotator_role_arn" {
  type        = string
  nullable    = false
  description = "ARN of the hub's key creator (rotator) role, which the rotator and the account worker run with: the hub module's output `key_creator_role_arn`"

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", var.hub_rotator_role_arn))
    error_message = "hub_rotator_role_arn must be the ARN of an IAM role, arn:aws:iam::<hub account>:role/<name> (the role, not an assumed-role session ARN)."
  }
}

variable "hub_destructor_role_arn" {
  type        = string
  nullable    = false
  description = "ARN of the hub's key destructor role: the hub module's output `key_destructor_role_arn`"

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", var.hub_destructor_role_arn))
    error_message = "hub_destructor_role_arn must be the ARN of an IAM role, arn:aws:iam::<hub account>:role/<name> (the role, not an assumed-role session ARN)."
  }
}

variable "member_role_name" {
  type        = string
  default     = "ikr-member"
  nullable    = false
  description = "Name of the role, the hub's `member_role_name` (`MEMBER_ROLE_NAME`)"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.member_role_name))
    error_message = "member_role_name must be an IAM role name: 1 to 64 characters, letters, digits and +=,.@_- (no path)."
  }
}

variable "member_external_id" {
  type        = string
  default     = null
  description = "The hub's `member_external_id` (`MEMBER_EXTERNAL_ID`): when set, the role trusts the hub's roles only when they give it (sts:ExternalId). Not a secret"

  validation {
    condition     = var.member_external_id == null || try(length(var.member_external_id) >= 2 && length(var.member_external_id) <= 1224 && can(regex("^[A-Za-z0-9_+=,.@:/-]+$", var.member_external_id)), false)
    error_message = "member_external_id must be 2 to 1224 characters: letters, digits and _+=,.@:/- (as STS AssumeRole accepts), or null."
  }
}

variable "encrypt_key_pair" {
  type        = bool
  default     = true
  nullable    = false
  description = "The hub's `encrypt_key_pair`: the per-user decryption keys /ikr/secret/iam/<user> are kept in this account"
}

variable "secret_kms_key_arn" {
  type        = string
  default     = null
  description = "The hub's `secret_kms_key_arn` (`SECRET_KMS_KEY_ID`): the role gets kms:Encrypt on it; its key policy must let this account's role use it. Null: this account's AWS managed aws/ssm key"
}

variable "delivery_secret_prefix" {
  type        = string
  default     = null
  description = "The hub's `delivery_secret_prefix`: the role may write secrets `secret:<prefix>*` of this account"
}

variable "delivery_parameter_prefix" {
  type        = string
  default     = null
  description = "The hub's `delivery_parameter_prefix`: the role may write parameters `parameter<prefix>*` of this account"
}

variable "delivery_functions" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "The hub's `delivery_functions`: the role may invoke these functions (names) of this account"
}

variable "tags" {
  type        = map(string)
  default     = {}
  nullable    = false
  description = "Tags of the role"
}
