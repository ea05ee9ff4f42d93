variable "region" {
  type        = string
  default     = "us-east-1"
  description = "Region of the hub and of the member role's grants (the per-user keys and delivery targets)"
}

variable "member_account_id" {
  type        = string
  description = "The member account whose IAM users the hub rotates"
}

variable "member_deploy_role_name" {
  type        = string
  default     = "OrganizationAccountAccessRole"
  description = "The role Terraform assumes in the member account to create the member role there: the one AWS Organizations creates in the accounts it creates"
}

variable "accounts" {
  type        = string
  default     = null
  description = "The hub's accounts (ACCOUNTS); null for member_account_id alone. organization or organization:<ou-id>,... select the organization's accounts (each needs a member role: repeat module.member_role per account)"
}

variable "member_external_id" {
  type        = string
  default     = null
  description = "External id the hub gives and the member role requires; null for none"
}

variable "rotator_jar_path" {
  type        = string
  default     = null
  description = "Path of the rotator's deployment jar; null for the one `mvn package` builds in this repository"
}

variable "destructor_jar_path" {
  type        = string
  default     = null
  description = "Path of the destructor's deployment jar; null for the one `mvn package` builds in this repository"
}

variable "mail_from" {
  type        = string
  description = "Verified SES sender of the mails (in the hub's account)"
}

variable "delivery_parameter_prefix" {
  type        = string
  default     = "/ikr/keys/"
  description = "Users may have their keys delivered to SSM parameters under this path, in their own account; null for none"
}

variable "max_account_concurrency" {
  type        = number
  default     = 5
  description = "How many accounts are rotated at once"
}

variable "enable_snapstart" {
  type        = bool
  default     = true
  description = "Whether to enable SnapStart; emulators without it need false"
}

variable "deletion_protection_enabled" {
  type        = bool
  default     = true
  description = "Whether DynamoDB refuses to delete the table; set false (and apply) before destroying the example"
}

variable "tags" {
  type        = map(string)
  default     = { Project = "ikr" }
  description = "Tags of every resource"
}
