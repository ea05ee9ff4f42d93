output "table_name" {
  description = "Name of the DynamoDB table of old access keys waiting to be deleted"
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the DynamoDB table"
  value       = aws_dynamodb_table.this.arn
}

output "table_stream_arn" {
  description = "ARN of the table's stream, which feeds the key destructor"
  value       = aws_dynamodb_table.this.stream_arn
}

output "key_creator_function_name" {
  description = "Name of the Lambda function that creates new access key pairs (the rotator)"
  value       = aws_lambda_function.this["rotator"].function_name
}

output "key_creator_function_arn" {
  description = "ARN of the key creator function"
  value       = aws_lambda_function.this["rotator"].arn
}

output "key_creator_alias_arn" {
  description = "ARN of the key creator's alias, which the schedule invokes"
  value       = aws_lambda_alias.this["rotator"].arn
}

output "key_creator_role_arn" {
  description = "ARN of the key creator's IAM role"
  value       = aws_iam_role.this["rotator"].arn
}

output "key_destructor_function_name" {
  description = "Name of the Lambda function that deletes old access key pairs"
  value       = aws_lambda_function.this["destructor"].function_name
}

output "key_destructor_function_arn" {
  description = "ARN of the key destructor function"
  value       = aws_lambda_function.this["destructor"].arn
}

output "key_destructor_alias_arn" {
  description = "ARN of the key destructor's alias, which the table's stream invokes"
  value       = aws_lambda_alias.this["destructor"].arn
}

output "key_destructor_role_arn" {
  description = "ARN of the key destructor's IAM role"
  value       = aws_iam_role.this["destructor"].arn
}

output "cron_expression" {
  description = "Schedule on which the key creator is invoked"
  value       = aws_cloudwatch_event_rule.rotator.schedule_expression
}

output "destructor_failure_queue_url" {
  description = "URL of the SQS queue that receives the stream batches the destructor gave up on"
  value       = aws_sqs_queue.destructor_failures.url
}

output "destructor_failure_queue_arn" {
  description = "ARN of the destructor's on-failure SQS queue"
  value       = aws_sqs_queue.destructor_failures.arn
}

output "mailgun_ssm_parameter_arn" {
  description = "ARN of the SSM SecureString the functions read the Mailgun API key from (created by this module when `mailgun_api_key` is given); null unless `mail_client` is mailgun"
  value       = var.mail_client == "mailgun" ? local.mailer_secret_parameter_arn : null
}

output "smtp_ssm_parameter_arn" {
  description = "ARN of the SSM SecureString the functions read the SMTP password from (created by this module when `smtp_password` is given); null unless `mail_client` is smtp"
  value       = var.mail_client == "smtp" ? local.mailer_secret_parameter_arn : null
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic the alarms notify (`alarm_topic_arn`, or the topic created for `alarm_email`); null when they notify nobody"
  value       = var.create_alarms ? local.alarm_topic_arn : null
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms, by what they watch (rotator_failed, destructor_failure_queue, rotator_missed_run, ...); empty when `create_alarms` is false"
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.alarm_name }
}

output "record_kms_key_arn" {
  description = "ARN of the KMS key that seals the table's items (`RECORD_KMS_KEY_ID` of both functions): the key the module created, or `record_kms_key_arn`"
  value       = local.record_kms_key_arn
}

output "table_resource_policy_json" {
  description = "The resource-based policy that lets only IKR's roles (and the table administrators, for deletes) write the table's items; attached unless `create_table_resource_policy` is false"
  value       = data.aws_iam_policy_document.table.json
}

output "account_queue_url" {
  description = "URL of the SQS queue of accounts the schedule sends one message per account to (`ACCOUNT_QUEUE_URL`); null with `accounts = \"self\"`"
  value       = one(aws_sqs_queue.accounts[*].url)
}

output "account_queue_arn" {
  description = "ARN of the accounts queue; null with `accounts = \"self\"`"
  value       = one(aws_sqs_queue.accounts[*].arn)
}

output "account_dlq_url" {
  description = "URL of the accounts queue's dead-letter queue; null with `accounts = \"self\"`"
  value       = one(aws_sqs_queue.accounts_dlq[*].url)
}

output "account_dlq_arn" {
  description = "ARN of the accounts queue's dead-letter queue; null with `accounts = \"self\"`"
  value       = one(aws_sqs_queue.accounts_dlq[*].arn)
}

output "account_worker_function_name" {
  description = "Name of the account worker function, which rotates one account per message; null with `accounts = \"self\"`"
  value       = local.fan_out ? aws_lambda_function.this["account_worker"].function_name : null
}
