data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  # Every SSM parameter ARN is this prefix plus the parameter's name without its leading slash.
  ssm_parameter_arn_prefix = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter"

  # The SecureString the chosen mailer reads its secret from (none for SES).
  mailer_secret_parameter_name = {
    ses     = null
    mailgun = var.mailgun_api_key_parameter_name
    smtp    = var.smtp_password_parameter_name
  }[var.mail_client]
  mailer_secret_parameter_arn = local.mailer_secret_parameter_name == null ? null : "${local.ssm_parameter_arn_prefix}/${trimprefix(local.mailer_secret_parameter_name, "/")}"

  # SMTP as the functions will use it. A null smtp_protocol means ssl, the original module's default
  # (its mailer fell back to SSL on port 465); the original's "tls" is starttls.
  smtp_protocol = var.smtp_protocol == null ? "ssl" : (var.smtp_protocol == "tls" ? "starttls" : var.smtp_protocol)
  smtp_port     = var.smtp_port != null ? var.smtp_port : { ssl = 465, starttls = 587, plain = 25 }[local.smtp_protocol]

  # Whether a secret was given is not itself secret: it only decides whether a parameter is created.
  mailgun_api_key_given = nonsensitive(var.mailgun_api_key != null && var.mailgun_api_key != "")
  smtp_password_given   = nonsensitive(var.smtp_password != null && var.smtp_password != "")

  # The variables both functions read (names are the original project's). Optional ones are set only
  # when they have a value, and a mailer's own ones only when that mailer is used.
  shared_environment = {
    IAM_KEY_ROTATOR_TABLE   = aws_dynamodb_table.this.name
    ENCRYPT_KEY_PAIR        = tostring(var.encrypt_key_pair)
    MAX_CONCURRENCY         = tostring(var.max_concurrency)
    MAIL_CLIENT             = var.mail_client
    MAIL_FROM               = var.mail_from
    METRICS_NAMESPACE       = var.metrics_namespace
    MAILGUN_API_URL         = var.mail_client == "mailgun" ? var.mailgun_api_url : null
    MAILGUN_API_KEY_NAME    = var.mail_client == "mailgun" ? var.mailgun_api_key_parameter_name : null
    SMTP_SERVER             = var.mail_client == "smtp" ? var.smtp_server : null
    SMTP_PORT               = var.mail_client == "smtp" && var.smtp_port != null ? tostring(var.smtp_port) : null
    SMTP_PROTOCOL           = var.mail_client == "smtp" ? local.smtp_protocol : null
    SMTP_USER               = var.mail_client == "smtp" ? var.smtp_user : null
    SMTP_PASSWORD_PARAMETER = var.mail_client == "smtp" ? var.smtp_password_parameter_name : null

    # Set only when allowed: the SMTP password may then travel unencrypted over plain.
    SMTP_ALLOW_PLAINTEXT_AUTH = var.mail_client == "smtp" && var.smtp_allow_plaintext_auth ? "true" : null
  }

  rotator_environment = {
    for name, value in merge(local.shared_environment, local.kms_rotation_environment.rotator, {
      ROTATE_AFTER_DAYS = tostring(var.rotate_after_days)
      DELETE_AFTER_DAYS = tostring(var.delete_after_days)
      # null leaves the variable out: a single stage
      DEACTIVATE_AFTER_DAYS = var.deactivate_after_days == null ? null : tostring(var.deactivate_after_days)
      # the default, [], leaves the variable out: any domain
      ALLOWED_EMAIL_DOMAINS = join(",", var.allowed_email_domains)
      # the per-user decryption keys and the ssm: delivery targets are the SecureStrings it encrypts
      SECRET_KMS_KEY_ID = var.encrypt_key_pair || var.delivery_parameter_prefix != null ? var.secret_kms_key_arn : null
      # each unset, or [], leaves its variable out: that kind of delivery target is off
      DELIVERY_SECRET_PREFIX    = var.delivery_secret_prefix
      DELIVERY_PARAMETER_PREFIX = var.delivery_parameter_prefix
      DELIVERY_FUNCTIONS        = join(",", var.delivery_functions)
    }) : name => value if value != null && value != ""
  }

  destructor_environment = {
    for name, value in merge(local.shared_environment, local.kms_rotation_environment.destructor, {
      RETRY_AFTER_MINS     = tostring(var.retry_after_mins)
      MAX_DELETE_ATTEMPTS  = tostring(var.max_delete_attempts)
      IN_USE_POSTPONE_DAYS = tostring(var.in_use_postpone_days)
      MAX_POSTPONEMENTS    = tostring(var.max_postponements)
      IN_USE_POLICY        = var.in_use_policy
    }) : name => value if value != null && value != ""
  }

  # Only TTL expiries start a deletion: the service deletes the item, not a person or the rotator.
  ttl_removal_pattern = jsonencode({
    eventName = ["REMOVE"]
    userIdentity = {
      type        = ["Service"]
      principalId = ["dynamodb.amazonaws.com"]
    }
  })

  alias_name = "live"

  # What differs between the two functions; everything else is written once for both. Each has a role of its
  # own (iam.tf); the account worker (accounts.tf) is deployed like them, with the rotator's role.
  functions = {
    rotator = {
      role              = "rotator"
      function_name     = var.key_creator_function_name
      role_name         = var.key_creator_role_name
      description       = "IKR: creates a new access key pair for IAM users whose key is due, mails it and schedules the old key's deletion"
      jar_path          = var.rotator_jar_path
      handler           = "dev.ikr.rotator.RotatorHandler::handleRequest"
      environment       = local.rotator_environment
      alias_description = "The published version the schedule invokes"
    }
    destructor = {
      role              = "destructor"
      function_name     = var.key_destructor_function_name
      role_name         = var.key_destructor_role_name
      description       = "IKR: deletes an old access key pair when its deletion date has passed and tells its owner"
      jar_path          = var.destructor_jar_path
      handler           = "dev.ikr.destructor.DestructorHandler::handleRequest"
      environment       = local.destructor_environment
      alias_description = "The published version the table's stream invokes"
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# Pending deletions: one item per old key, removed by TTL on its deletion date
# ---------------------------------------------------------------------------------------------------

resource "aws_dynamodb_table" "this" {
  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "user"
  range_key    = "ak"

  attribute {
    name = "user"
    type = "S"
  }

  attribute {
    name = "ak"
    type = "S"
  }

  ttl {
    attribute_name = "delete_on"
    enabled        = true
  }

  stream_enabled   = true
  stream_view_type = var.stream_view_type

  point_in_time_recovery {
    enabled = var.enable_pitr
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  server_side_encryption {
    enabled     = var.enable_sse
    kms_key_arn = var.enable_sse ? var.kms_key_arn : null
  }

  tags = var.tags
}

# ---------------------------------------------------------------------------------------------------
# Mailer secret, when given (otherwise the operator creates the parameter)
# ---------------------------------------------------------------------------------------------------

resource "aws_ssm_parameter" "mailgun_api_key" {
  count = local.mailgun_api_key_given ? 1 : 0

  name        = var.mailgun_api_key_parameter_name
  description = "IKR: Mailgun API key used to mail access keys"
  type        = "SecureString"
  value       = var.mailgun_api_key
  key_id      = var.mailer_secret_kms_key_arn
  tags        = var.tags
}

resource "aws_ssm_parameter" "smtp_password" {
  count = local.smtp_password_given ? 1 : 0

  name        = var.smtp_password_parameter_name
  description = "IKR: SMTP password used to mail access keys"
  type        = "SecureString"
  value       = var.smtp_password
  key_id      = var.mailer_secret_kms_key_arn
  tags        = var.tags
}

# ---------------------------------------------------------------------------------------------------
# Every function: log group, function and the alias its trigger invokes (roles are in iam.tf)
# ---------------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.deployed_functions

  name              = "/aws/lambda/${each.value.function_name}"
  retention_in_days = var.cw_log_group_retention
  kms_key_id        = var.cw_logs_kms_key_arn
  skip_destroy      = var.retain_log_groups_on_destroy
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  for_each = local.deployed_functions

  function_name    = each.value.function_name
  description      = each.value.description
  role             = aws_iam_role.this[each.value.role].arn
  filename         = each.value.jar_path
  source_code_hash = filebase64sha256(each.value.jar_path)
  handler          = each.value.handler
  runtime          = "java21"
  publish          = true

  memory_size                    = var.function_memory_size
  timeout                        = var.function_timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions

  dynamic "snap_start" {
    for_each = var.enable_snapstart ? [true] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  tracing_config {
    mode = var.xray_tracing_mode
  }

  environment {
    variables = merge(each.value.environment, local.record_environment, local.account_environment[each.value.role])
  }

  tags = var.tags

  # Checked on the rotator only, so that a missing setting is reported once.
  lifecycle {
    precondition {
      condition     = each.key != "rotator" || var.deactivate_after_days == null || coalesce(var.deactivate_after_days, 0) < var.delete_after_days
      error_message = "deactivate_after_days (${coalesce(var.deactivate_after_days, 0)}) must be smaller than delete_after_days (${var.delete_after_days}): the old key is deactivated before it is deleted."
    }
    precondition {
      condition     = each.key != "rotator" || !var.enable_kms_rotation || var.accounts == "self"
      error_message = "enable_kms_rotation needs accounts = \"self\": KMS keys are rotated in the deployment's own account, so rotate them with a deployment of their account whose accounts is self."
    }
    precondition {
      condition     = each.key != "rotator" || var.mail_client != "mailgun" || var.mailgun_api_url != null
      error_message = "mailgun_api_url is required when mail_client is mailgun."
    }
    precondition {
      condition     = each.key != "rotator" || var.mail_client != "smtp" || var.smtp_server != null
      error_message = "smtp_server is required when mail_client is smtp."
    }
    # Ports 465 and 2465 speak TLS from the first byte; 25, 587 and 2587 start plain and may upgrade
    # with STARTTLS. A protocol on the other kind of port cannot connect.
    precondition {
      condition     = each.key != "rotator" || var.mail_client != "smtp" || local.smtp_protocol != "ssl" || !contains([25, 587, 2587], local.smtp_port)
      error_message = "smtp_port ${local.smtp_port} does not speak smtp_protocol ssl (TLS from the first byte, port 465 or 2465${var.smtp_protocol == null ? "; a null smtp_protocol means ssl, as in the original module" : ""}): use smtp_protocol = \"starttls\" on ${local.smtp_port}, or port 465."
    }
    precondition {
      condition     = each.key != "rotator" || var.mail_client != "smtp" || local.smtp_protocol == "ssl" || !contains([465, 2465], local.smtp_port)
      error_message = "smtp_port ${local.smtp_port} speaks TLS from the first byte, which needs smtp_protocol ssl, not ${coalesce(var.smtp_protocol, "ssl")}: use smtp_protocol = \"ssl\", or port 587 for starttls."
    }
    # The rotator refuses a delivery prefix over the mailer's secret, and a delivery function that is one of IKR's.
    precondition {
      condition     = each.key != "rotator" || var.delivery_parameter_prefix == null || local.mailer_secret_parameter_name == null || (!startswith(coalesce(local.mailer_secret_parameter_name, "-"), coalesce(var.delivery_parameter_prefix, "-")) && !startswith(coalesce(var.delivery_parameter_prefix, "-"), coalesce(local.mailer_secret_parameter_name, "-")))
      error_message = "delivery_parameter_prefix must not reach the mailer's secret ${coalesce(local.mailer_secret_parameter_name, "-")}: choose a path outside it."
    }
    precondition {
      condition     = each.key != "rotator" || length(setintersection(var.delivery_functions, [for function in local.deployed_functions : function.function_name])) == 0
      error_message = "delivery_functions must not name IKR's own functions (${join(", ", [for function in local.deployed_functions : function.function_name])}): a key is delivered to a function of yours."
    }
    # The module always sets SMTP_PASSWORD_PARAMETER, which the functions refuse over plain unless
    # SMTP_ALLOW_PLAINTEXT_AUTH is true.
    precondition {
      condition     = each.key != "rotator" || var.mail_client != "smtp" || local.smtp_protocol != "plain" || var.smtp_allow_plaintext_auth
      error_message = "smtp_protocol plain needs smtp_allow_plaintext_auth = true: the module always names the SMTP password parameter, and the functions refuse to start rather than send it unencrypted. Use ssl or starttls."
    }
  }

  # The log group exists first, so Lambda does not create one without retention; the role can write
  # to it before the first invocation.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

resource "aws_lambda_alias" "this" {
  for_each = local.deployed_functions

  name             = local.alias_name
  description      = each.value.alias_description
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = aws_lambda_function.this[each.key].version
}

# ---------------------------------------------------------------------------------------------------
# Key creator (rotator): runs on a schedule
# ---------------------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "rotator" {
  name                = var.key_creator_function_name
  description         = "IKR: invokes ${var.key_creator_function_name} to rotate the access keys that are due"
  schedule_expression = "cron(${trimspace(var.cron_expression)})"
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "rotator" {
  rule      = aws_cloudwatch_event_rule.rotator.name
  target_id = "ikr-key-creator"
  arn       = aws_lambda_alias.this["rotator"].arn
}

resource "aws_lambda_permission" "rotator_schedule" {
  statement_id  = "AllowExecutionFromEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["rotator"].function_name
  qualifier     = aws_lambda_alias.this["rotator"].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.rotator.arn
}

# ---------------------------------------------------------------------------------------------------
# Key destructor: runs on the table's stream when TTL removes an item
# ---------------------------------------------------------------------------------------------------

# Where Lambda describes a batch of stream records it gave up on (after the retries), so that no
# pending deletion is lost silently.
resource "aws_sqs_queue" "destructor_failures" {
  name                      = "${var.key_destructor_function_name}-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_lambda_event_source_mapping" "destructor" {
  event_source_arn  = aws_dynamodb_table.this.stream_arn
  function_name     = aws_lambda_alias.this["destructor"].arn
  starting_position = "LATEST"

  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = var.event_source_maximum_retry_attempts

  filter_criteria {
    filter {
      pattern = local.ttl_removal_pattern
    }
  }

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.destructor_failures.arn
    }
  }

  # Lambda checks on creation that the role can read the stream and send to the queue.
  depends_on = [aws_iam_role_policy.this["destructor"]]
}
