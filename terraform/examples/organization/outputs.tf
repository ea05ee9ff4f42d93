output "account_queue_url" {
  description = "URL of the queue the schedule sends one message per account to"
  value       = module.iam_key_rotator.account_queue_url
}

output "account_dlq_arn" {
  description = "ARN of the accounts queue's dead-letter queue"
  value       = module.iam_key_rotator.account_dlq_arn
}

output "account_worker_function_name" {
  description = "Name of the function that rotates one account per message"
  value       = module.iam_key_rotator.account_worker_function_name
}

output "key_creator_role_arn" {
  description = "ARN of the hub's rotator role (the rotator's and the account worker's)"
  value       = module.iam_key_rotator.key_creator_role_arn
}

output "key_destructor_role_arn" {
  description = "ARN of the hub's destructor role"
  value       = module.iam_key_rotator.key_destructor_role_arn
}

output "table_name" {
  description = "Name of the hub's table of pending deletions"
  value       = module.iam_key_rotator.table_name
}

output "record_kms_key_arn" {
  description = "ARN of the KMS key that seals the table's items"
  value       = module.iam_key_rotator.record_kms_key_arn
}

output "alarm_names" {
  description = "Names of the hub's CloudWatch alarms, by what they watch"
  value       = module.iam_key_rotator.alarm_names
}

output "member_role_arn" {
  description = "ARN of the member role in the member account"
  value       = module.member_role.role_arn
}
