# The account whose users, per-user keys and delivery targets the statements name, and the settings that
# decide which statements there are. The hub module passes its own account and inputs; modules/member-role
# passes the member account and the same inputs, so that both grant the same calls.

variable "partition" {
  type        = string
  nullable    = false
  description = "The account's partition (aws, aws-cn, aws-us-gov)"
}

variable "region" {
  type        = string
  nullable    = false
  description = "The Region of the per-user SSM keys, the delivery parameters, secrets and functions"
}

variable "account_id" {
  type        = string
  nullable    = false
  description = "The account whose IAM users IKR rotates"

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "encrypt_key_pair" {
  type        = bool
  nullable    = false
  description = "`ENCRYPT_KEY_PAIR`: the per-user decryption keys /ikr/secret/iam/<user> are stored and deleted"
}

variable "secret_kms_key_arn" {
  type        = string
  default     = null
  description = "`SECRET_KMS_KEY_ID`: the customer managed key of the per-user SecureStrings and the ssm: delivery targets; null for the AWS managed aws/ssm key"

  # IAM policies name a KMS key by its key ARN only (no key id, alias name or alias ARN).
  validation {
    condition     = var.secret_kms_key_arn == null || !strcontains(coalesce(var.secret_kms_key_arn, "-"), "alias/")
    error_message = "secret_kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: the rotator's IAM grant names the key ARN, and IAM does not honour aliases. Look the key ARN up with aws kms describe-key --key-id <alias>."
  }

  validation {
    condition     = var.secret_kms_key_arn == null || strcontains(coalesce(var.secret_kms_key_arn, "-"), "alias/") || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$", coalesce(var.secret_kms_key_arn, "-")))
    error_message = "secret_kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null."
  }
}

# The delivery targets (IKR:DELIVER_TO). The rules are the ones the rotator checks at cold start
# (DeliveryBounds), checked here once for the hub and for every member role. Terraform checks a called
# module's variables once the caller's own have passed: a plan refuses these after the hub's other inputs.

variable "delivery_secret_prefix" {
  type        = string
  default     = null
  description = "`DELIVERY_SECRET_PREFIX`: the start of the names of the secrets keys may be delivered to; null: none"

  validation {
    condition     = var.delivery_secret_prefix == null || can(regex("^[A-Za-z0-9/_+=.@-]{1,511}$", coalesce(var.delivery_secret_prefix, "-")))
    error_message = "delivery_secret_prefix must be the start of a secret name: 1 to 511 letters, digits and /_+=.@-, e.g. ikr/, or null."
  }
}

variable "delivery_parameter_prefix" {
  type        = string
  default     = null
  description = "`DELIVERY_PARAMETER_PREFIX`: the start of the names of the SSM parameters keys may be delivered to; null: none"

  validation {
    condition     = var.delivery_parameter_prefix == null || (length(coalesce(var.delivery_parameter_prefix, "-")) <= 1011 && can(regex("^/[A-Za-z0-9_./-]*$", coalesce(var.delivery_parameter_prefix, "-"))) && !strcontains(coalesce(var.delivery_parameter_prefix, "-"), "//"))
    error_message = "delivery_parameter_prefix must be the start of a parameter path: a / followed by at most 1010 letters, digits and _.-/, without //, e.g. /ikr/keys/, or null."
  }

  validation {
    condition = var.delivery_parameter_prefix == null || alltrue([for own in ["/ikr/secret/", "/ikr/record-mac-key"] :
    !startswith(own, coalesce(var.delivery_parameter_prefix, "-")) && !startswith(coalesce(var.delivery_parameter_prefix, "-"), own)])
    error_message = "delivery_parameter_prefix must not reach IKR's own parameters (/ikr/secret/..., /ikr/record-mac-key): choose a path outside them, e.g. /ikr/keys/."
  }
}

variable "delivery_functions" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "`DELIVERY_FUNCTIONS`: the names of the functions keys may be delivered to; []: none"

  validation {
    condition     = alltrue([for name in var.delivery_functions : can(regex("^[A-Za-z0-9_-]{1,64}$", name))])
    error_message = "delivery_functions must hold function names (1 to 64 letters, digits, - and _), not ARNs: the grants name functions of the module's own account and region."
  }
}
