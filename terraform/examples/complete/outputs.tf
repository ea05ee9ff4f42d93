output "table_name" {
  description = "Name of the DynamoDB table of pending deletions"
  value       = module.iam_key_rotator.table_name
}

output "table_arn" {
  description = "ARN of the DynamoDB table"
  value       = module.iam_key_rotator.table_arn
}

output "table_stream_arn" {
  description = "ARN of the table's stream"
  value       = module.iam_key_rotator.table_stream_arn
}

output "key_creator_function_name" {
  description = "Name of the key creator function"
  value       = module.iam_key_rotator.key_creator_function_name
}

output "key_creator_function_arn" {
  description = "ARN of the key creator function"
  value       = module.iam_key_rotator.key_creator_function_arn
}

output "key_creator_alias_arn" {
  description = "ARN of the key creator's alias"
  value       = module.iam_key_rotator.key_creator_alias_arn
}

output "key_creator_role_arn" {
  description = "ARN of the key creator's role"
  value       = module.iam_key_rotator.key_creator_role_arn
}

output "key_destructor_function_name" {
  description = "Name of the key destructor function"
  value       = module.iam_key_rotator.key_destructor_function_name
}

output "key_destructor_function_arn" {
  description = "ARN of the key destructor function"
  value       = module.iam_key_rotator.key_destructor_function_arn
}

output "key_destructor_alias_arn" {
  description = "ARN of the key destructor's alias"
  value       = module.iam_key_rotator.key_destructor_alias_arn
}

output "key_destructor_role_arn" {
  description = "ARN of the key destructor's role"
  value       = module.iam_key_rotator.key_destructor_role_arn
}

output "cron_expression" {
  description = "Schedule of the key creator"
  value       = module.iam_key_rotator.cron_expression
}

output "destructor_failure_queue_url" {
  description = "URL of the destructor's on-failure queue"
  value       = module.iam_key_rotator.destructor_failure_queue_url
}

output "destructor_failure_queue_arn" {
  description = "ARN of the destructor's on-failure queue"
  value       = module.iam_key_rotator.destructor_failure_queue_arn
}

output "mailgun_ssm_parameter_arn" {
  description = "ARN of the Mailgun API key's SecureString; null unless the mail client is mailgun"
  value       = module.iam_key_rotator.mailgun_ssm_parameter_arn
}

output "smtp_ssm_parameter_arn" {
  description = "ARN of the SMTP password's SecureString; null unless the mail client is smtp"
  value       = module.iam_key_rotator.smtp_ssm_parameter_arn
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic the alarms notify; null without alarm_email"
  value       = module.iam_key_rotator.alarm_topic_arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms, by what they watch"
  value       = module.iam_key_rotator.alarm_names
}

output "record_kms_key_arn" {
  description = "ARN of the KMS key that seals the table's items"
  value       = module.iam_key_rotator.record_kms_key_arn
}
