# The original's inputs that decide the names and settings of what it creates (same names and defaults),
# plus the fixture's own: aws_endpoint, logs_policy_arn and function_zip_path.

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "access_key" {
  type    = string
  default = "testing"
}

variable "secret_key" {
  type    = string
  default = "testing"
}

variable "aws_endpoint" {
  type        = string
  description = "The moto the fixture is applied to"
}

variable "logs_policy_arn" {
  type        = string
  default     = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
  description = "The managed policy attached to both roles for logging (moto has no AWS managed policies unless told to load them)"
}

variable "function_zip_path" {
  type        = string
  description = "A tiny zip with one Python handler, used for both functions and every layer"
}

variable "table_name" {
  type    = string
  default = "iam-key-rotator"
}

variable "enable_sse" {
  type    = bool
  default = true
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "enable_pitr" {
  type    = bool
  default = false
}

variable "key_creator_role_name" {
  type    = string
  default = "iam-key-creator"
}

variable "key_creator_function_name" {
  type    = string
  default = "iam-key-creator"
}

variable "key_destructor_role_name" {
  type    = string
  default = "iam-key-destructor"
}

variable "key_destructor_function_name" {
  type    = string
  default = "iam-key-destructor"
}

variable "cron_expression" {
  type    = string
  default = "0 12 * * ? *"
}

variable "lambda_runtime" {
  type    = string
  default = "python3.12"
}

variable "cw_log_group_retention" {
  type    = number
  default = 90
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "mail_client" {
  type    = string
  default = "ses"
}

variable "mail_from" {
  type = string
}

variable "mailgun_api_url" {
  type    = string
  default = null
}

variable "mailgun_api_key" {
  type      = string
  default   = ""
  sensitive = true
}

variable "smtp_password" {
  type      = string
  default   = ""
  sensitive = true
}
