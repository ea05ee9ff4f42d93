# A stand-in for the original skildops/aws-iam-key-rotator module (its terraform/ directory): the same
# resource addresses, the same AWS names and the table's OLD_IMAGE stream, written minimally. Its functions
# and layers are one tiny Python zip, and its policies are token ones: what the upgrade test needs is the
# state such a deployment leaves, not a working rotator.

data "aws_caller_identity" "current" {}

locals {
  functions_assume_role = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_dynamodb_table" "iam_key_rotator" {
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

  server_side_encryption {
    enabled     = var.enable_sse
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.enable_pitr
  }

  stream_enabled   = true
  stream_view_type = "OLD_IMAGE"

  tags = var.tags
}

resource "aws_lambda_layer_version" "pytz" {
  layer_name          = "pytz"
  filename            = var.function_zip_path
  source_code_hash    = filebase64sha256(var.function_zip_path)
  compatible_runtimes = [var.lambda_runtime]
}

resource "aws_lambda_layer_version" "requests" {
  layer_name          = "requests"
  filename            = var.function_zip_path
  source_code_hash    = filebase64sha256(var.function_zip_path)
  compatible_runtimes = [var.lambda_runtime]
}

resource "aws_lambda_layer_version" "cryptography" {
  layer_name          = "cryptography"
  filename            = var.function_zip_path
  source_code_hash    = filebase64sha256(var.function_zip_path)
  compatible_runtimes = [var.lambda_runtime]
}

resource "aws_ssm_parameter" "mailgun" {
  count = var.mailgun_api_key == "" ? 0 : 1

  name  = "/ikr/secret/mailgun"
  type  = "SecureString"
  value = var.mailgun_api_key
  tags  = var.tags
}

resource "aws_ssm_parameter" "smtp_password" {
  count = var.smtp_password == "" ? 0 : 1

  name  = "/ikr/secret/smtp"
  type  = "SecureString"
  value = var.smtp_password
  tags  = var.tags
}

# ---- key creator ----

resource "aws_iam_role" "iam_key_creator" {
  name                  = var.key_creator_role_name
  assume_role_policy    = local.functions_assume_role
  force_detach_policies = true
  tags                  = var.tags
}

resource "aws_iam_role_policy" "iam_key_creator_policy" {
  name = "${var.key_creator_role_name}-policy"
  role = aws_iam_role.iam_key_creator.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = aws_dynamodb_table.iam_key_rotator.arn }]
  })
}

resource "aws_iam_role_policy_attachment" "iam_key_creator_logs" {
  role       = aws_iam_role.iam_key_creator.name
  policy_arn = var.logs_policy_arn
}

resource "aws_cloudwatch_log_group" "iam_key_creator" {
  name              = "/aws/lambda/${var.key_creator_function_name}"
  retention_in_days = var.cw_log_group_retention
  tags              = var.tags
}

resource "aws_lambda_function" "iam_key_creator" {
  function_name    = var.key_creator_function_name
  role             = aws_iam_role.iam_key_creator.arn
  filename         = var.function_zip_path
  source_code_hash = filebase64sha256(var.function_zip_path)
  handler          = "handler.handler"
  runtime          = var.lambda_runtime
  layers           = [aws_lambda_layer_version.pytz.arn, aws_lambda_layer_version.requests.arn, aws_lambda_layer_version.cryptography.arn]

  environment {
    variables = {
      IAM_KEY_ROTATOR_TABLE = aws_dynamodb_table.iam_key_rotator.name
      MAIL_CLIENT           = var.mail_client
      MAIL_FROM             = var.mail_from
      MAILGUN_API_URL       = var.mailgun_api_url
    }
  }

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.iam_key_creator]
}

resource "aws_cloudwatch_event_rule" "iam_key_creator" {
  name                = "IAMAccessKeyCreator"
  schedule_expression = "cron(${var.cron_expression})"
}

resource "aws_cloudwatch_event_target" "iam_key_creator" {
  rule      = aws_cloudwatch_event_rule.iam_key_creator.name
  target_id = "TriggerIAMKeyCreatorLambda"
  arn       = aws_lambda_function.iam_key_creator.arn
}

resource "aws_lambda_permission" "iam_key_creator" {
  statement_id  = "AllowExecutionFromCloudWatch"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.iam_key_creator.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.iam_key_creator.arn
}

# ---- key destructor ----

resource "aws_iam_role" "iam_key_destructor" {
  name                  = var.key_destructor_role_name
  assume_role_policy    = local.functions_assume_role
  force_detach_policies = true
  tags                  = var.tags
}

resource "aws_iam_role_policy" "iam_key_destructor_policy" {
  name = "${var.key_destructor_role_name}-policy"
  role = aws_iam_role.iam_key_destructor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
      Resource = aws_dynamodb_table.iam_key_rotator.stream_arn
    }]
  })
}

resource "aws_iam_role_policy_attachment" "iam_key_destructor_logs" {
  role       = aws_iam_role.iam_key_destructor.name
  policy_arn = var.logs_policy_arn
}

resource "aws_cloudwatch_log_group" "iam_key_destructor" {
  name              = "/aws/lambda/${var.key_destructor_function_name}"
  retention_in_days = var.cw_log_group_retention
  tags              = var.tags
}

resource "aws_lambda_function" "iam_key_destructor" {
  function_name    = var.key_destructor_function_name
  role             = aws_iam_role.iam_key_destructor.arn
  filename         = var.function_zip_path
  source_code_hash = filebase64sha256(var.function_zip_path)
  handler          = "handler.handler"
  runtime          = var.lambda_runtime
  layers           = [aws_lambda_layer_version.requests.arn, aws_lambda_layer_version.cryptography.arn]

  environment {
    variables = {
      IAM_KEY_ROTATOR_TABLE = aws_dynamodb_table.iam_key_rotator.name
      MAIL_CLIENT           = var.mail_client
      MAIL_FROM             = var.mail_from
    }
  }

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.iam_key_destructor]
}

resource "aws_lambda_event_source_mapping" "iam_key_destructor" {
  event_source_arn  = aws_dynamodb_table.iam_key_rotator.stream_arn
  function_name     = aws_lambda_function.iam_key_destructor.arn
  starting_position = "LATEST"
}
