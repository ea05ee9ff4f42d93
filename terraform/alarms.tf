# CloudWatch alarms on the functions' own metrics (written by each invocation in the embedded metric
# format, namespace var.metrics_namespace, dimension FunctionName) and on the metrics AWS publishes for
# Lambda and SQS. They notify one SNS topic: alarm_topic_arn, or a topic this module creates for
# alarm_email. The README's "Metrics and alarms" says what to do when each fires.

locals {
  create_alarm_topic = var.create_alarms && var.alarm_topic_arn == null && var.alarm_email != null
  alarm_topic_arn    = var.alarm_topic_arn != null ? var.alarm_topic_arn : one(aws_sns_topic.alarms[*].arn)
  alarm_actions      = var.create_alarms && local.alarm_topic_arn != null ? [local.alarm_topic_arn] : []

  rotator_name    = aws_lambda_function.this["rotator"].function_name
  destructor_name = aws_lambda_function.this["destructor"].function_name

  # An outcome the functions count: any one in five minutes alarms; a period without it (the
  # functions write every count, zero included, but only when they run) is fine.
  outcome_alarm = {
    namespace           = var.metrics_namespace
    statistic           = "Sum"
    period              = 300
    evaluation_periods  = 1
    comparison_operator = "GreaterThanThreshold"
    threshold           = 0
    treat_missing_data  = "notBreaching"
  }

  alarms = merge(local.function_alarms, local.fan_out ? local.account_alarms : {})

  function_alarms = {
    rotator_failed = merge(local.outcome_alarm, {
      name        = "${local.rotator_name}-failed-users"
      description = "IKR: the rotator could not rotate a user's key (Failed). The new key was withdrawn and the next run retries; the run's ERROR line names the user and the reason."
      metric_name = "Failed"
      dimensions  = { FunctionName = local.rotator_name }
    })
    destructor_failed = merge(local.outcome_alarm, {
      name        = "${local.destructor_name}-failed-records"
      description = "IKR: the destructor could not finish a stream record, not even by writing it back (Failed). The stream delivers it again, then sends it to the on-failure queue."
      metric_name = "Failed"
      dimensions  = { FunctionName = local.destructor_name }
    })
    rotator_needs_attention = merge(local.outcome_alarm, {
      name        = "${local.rotator_name}-needs-attention"
      description = "IKR: a user's keys need a person (NeedsAttention): an inactive only key, or two keys IKR did not record. scripts/ikr plan lists them."
      metric_name = "NeedsAttention"
      dimensions  = { FunctionName = local.rotator_name }
    })
    destructor_needs_attention = merge(local.outcome_alarm, {
      name        = "${local.destructor_name}-needs-attention"
      description = "IKR: a deletion waits for a person (NeedsAttention): IAM did not corroborate the item, or the retries ran out. scripts/ikr plan lists the item and its reason."
      metric_name = "NeedsAttention"
      dimensions  = { FunctionName = local.destructor_name }
    })
    rotator_unverified_record = merge(local.outcome_alarm, {
      name        = "${local.rotator_name}-unverified-record"
      description = "IKR: the rotator met a table item that failed verification (UnverifiedRecord): it may not have been written by IKR. Its WARN or ERROR line names the item."
      metric_name = "UnverifiedRecord"
      dimensions  = { FunctionName = local.rotator_name }
    })
    destructor_unverified_record = merge(local.outcome_alarm, {
      name        = "${local.destructor_name}-unverified-record"
      description = "IKR: the destructor met a table item that failed verification (UnverifiedRecord): it may not have been written by IKR. Its WARN or ERROR line names the item."
      metric_name = "UnverifiedRecord"
      dimensions  = { FunctionName = local.destructor_name }
    })
    destructor_failure_queue = merge(local.outcome_alarm, {
      name        = "${local.destructor_name}-failure-queue"
      description = "IKR: the destructor gave up on stream records, described in ${aws_sqs_queue.destructor_failures.name}. Their records expire from the stream 24 hours after they were written: recover them before (README, Metrics and alarms)."
      namespace   = "AWS/SQS"
      metric_name = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      dimensions  = { QueueName = aws_sqs_queue.destructor_failures.name }
    })
    rotator_errors = merge(local.outcome_alarm, {
      name        = "${local.rotator_name}-errors"
      description = "IKR: the rotator's invocation ended in error (Lambda Errors): a user failed, or the run could not start (its configuration, IAM or the table)."
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = local.rotator_name }
    })
    # No invocation in rotator_missed_run_alarm_hours hourly periods, a missing hour counting as one
    # without: CloudWatch evaluates at most 7 days for periods of an hour or more (at most one day
    # for shorter periods), so an hour per period allows up to 168 of them.
    rotator_missed_run = merge(local.outcome_alarm, {
      name                = "${local.rotator_name}-missed-run"
      description         = "IKR: the rotator has not been invoked for ${var.rotator_missed_run_alarm_hours} hours: its schedule rule, its permission or the function is broken, and no key is rotated."
      namespace           = "AWS/Lambda"
      metric_name         = "Invocations"
      period              = 3600
      evaluation_periods  = var.rotator_missed_run_alarm_hours
      comparison_operator = "LessThanThreshold"
      threshold           = 1
      treat_missing_data  = "breaching"
      dimensions          = { FunctionName = local.rotator_name }
    })
  }

  # With accounts other than "self" the worker rotates the users, so it writes the outcomes the rotator writes
  # for a single account, under its own FunctionName; an account it gave up on lands in the dead-letter queue.
  account_worker_name = var.account_worker_function_name
  account_alarms = {
    account_worker_failed = merge(local.outcome_alarm, {
      name        = "${local.account_worker_name}-failed-users"
      description = "IKR: the account worker could not rotate a user's key (Failed). The new key was withdrawn and the next run retries; the ERROR line names the account, the user and the reason."
      metric_name = "Failed"
      dimensions  = { FunctionName = local.account_worker_name }
    })
    account_worker_needs_attention = merge(local.outcome_alarm, {
      name        = "${local.account_worker_name}-needs-attention"
      description = "IKR: a user's keys in a member account need a person (NeedsAttention). scripts/ikr plan --account <id> lists them."
      metric_name = "NeedsAttention"
      dimensions  = { FunctionName = local.account_worker_name }
    })
    account_worker_unverified_record = merge(local.outcome_alarm, {
      name        = "${local.account_worker_name}-unverified-record"
      description = "IKR: the account worker met a table item that failed verification (UnverifiedRecord): it may not have been written by IKR. Its WARN or ERROR line names the item."
      metric_name = "UnverifiedRecord"
      dimensions  = { FunctionName = local.account_worker_name }
    })
    account_worker_errors = merge(local.outcome_alarm, {
      name        = "${local.account_worker_name}-errors"
      description = "IKR: an invocation of the account worker ended in error (Lambda Errors): its configuration, the table or the queue; an account that fails alone is reported in the batch response instead, and retried."
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = local.account_worker_name }
    })
    account_dead_letters = merge(local.outcome_alarm, {
      name        = "${local.account_dlq_name}-messages"
      description = "IKR: an account's run failed ${var.account_max_receive_count} times and its message is in ${local.account_dlq_name}: the member role is missing or untrusted, access was denied, or the account was throttled. The worker's ERROR lines name the account; fix it, then redrive the message (README, Deploying for an AWS Organization)."
      namespace   = "AWS/SQS"
      metric_name = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      dimensions  = { QueueName = local.account_dlq_name }
    })
  }
}

resource "aws_sns_topic" "alarms" {
  count = local.create_alarm_topic ? 1 : 0

  name = "${var.key_creator_function_name}-alarms"
  tags = var.tags
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = local.create_alarm_topic ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = var.create_alarms ? local.alarms : {}

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.evaluation_periods
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = local.alarm_actions
  tags                = var.tags
}
