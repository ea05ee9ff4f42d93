variable "aws_region" {
  type        = string
  default     = "us-east-1"
  description = "Region to deploy to"
}

variable "aws_endpoint" {
  type        = string
  default     = ""
  description = "Endpoint of an AWS emulator such as moto (http://127.0.0.1:5000) for every service; empty for real AWS"
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
  description = "Verified SES sender of the mails"
}

variable "enable_snapstart" {
  type        = bool
  default     = true
  description = "Whether to enable SnapStart; emulators without it need false"
}

variable "enable_pitr" {
  type        = bool
  default     = true
  description = "Whether to enable point-in-time recovery of the table"
}

variable "tags" {
  type        = map(string)
  default     = { Project = "ikr" }
  description = "Tags of every resource"
}

variable "deletion_protection_enabled" {
  type        = bool
  default     = true
  description = "Whether DynamoDB refuses to delete the table; set false (and apply) before destroying the example"
}

variable "alarm_email" {
  type        = string
  default     = null
  description = "Address the module's alarm topic mails (after the subscription is confirmed); null for alarms without actions"
}

variable "retain_log_groups_on_destroy" {
  type        = bool
  default     = false
  description = "Whether destroy leaves the log groups in CloudWatch Logs"
}

variable "table_admin_principal_arns" {
  type        = list(string)
  default     = []
  description = "IAM roles or users who may delete the table's items (cancel a deletion); nobody else but IKR may write them"
}

variable "enable_kms_rotation" {
  type        = bool
  default     = false
  description = "Whether IKR also rotates the asymmetric and HMAC KMS keys that carry IKR:EMAIL"
}

variable "kms_enable_auto_rotation" {
  type        = bool
  default     = false
  description = "Whether IKR turns on KMS's automatic rotation of the symmetric keys that carry IKR:EMAIL"
}
