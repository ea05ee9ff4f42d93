# Least privilege: one role and one inline policy per function, granting exactly the calls it makes. The
# policy is merged from one document per concern: the function's own calls (those on the account's users,
# their per-user keys and the delivery targets come from modules/key-access-policy, which the member roles of
# an organization share), then the concerns both functions share, each written once and present only when
# its switch is on.
#
# Key creator (rotator)
#   iam:GetAccountAuthorizationDetails      list the users with their tags (not resource-scoped: "*")
#   iam:ListAccountAliases                  name the account in the mail (not resource-scoped: "*")
#   iam:GenerateCredentialReport,
#   iam:GetCredentialReport                 the credential report: keys are listed only for users it cannot rule
#                                           out (not resource-scoped: "*"; without it, every tagged user is listed)
#   iam:ListAccessKeys                      on users
#   iam:CreateAccessKey,
#   iam:DeleteAccessKey                     on users that carry IKR:EMAIL (aws:ResourceTag); DeleteAccessKey rolls
#                                           back a key that could not be delivered
#   dynamodb:Scan, GetItem, PutItem,
#   DeleteItem                              on the table of pending deletions (every write puts the whole sealed item)
#   ssm:PutParameter                        on parameter/ikr/secret/iam/* (the user's decryption key), when encrypt_key_pair
#   kms:Encrypt                             on secret_kms_key_arn, when set and encrypt_key_pair or
#                                           delivery_parameter_prefix (the customer key of its SecureStrings)
#   ses:SendEmail                           from mail_from, when mail_client = ses
#   ssm:GetParameter                        on the mailer's secret, when mail_client = mailgun or smtp
#   secretsmanager:CreateSecret,
#   PutSecretValue, DescribeSecret          on secret:<delivery_secret_prefix>*, when set (IKR:DELIVER_TO
#                                           secretsmanager:; DescribeSecret settles a write whose answer was lost)
#   ssm:PutParameter                        on parameter<delivery_parameter_prefix>*, when set (ssm:); with
#                                           secret_kms_key_arn, kms:Encrypt on it as above
#   lambda:InvokeFunction                   on each of delivery_functions, when any (lambda:)
#   logs:CreateLogStream, logs:PutLogEvents on its own log group
#   xray:PutTraceSegments,
#   xray:PutTelemetryRecords                when xray_tracing_mode = Active (not resource-scoped: "*")
#
# Key destructor
#   iam:GetUser, iam:ListAccessKeys         on users: the item is acted on only if IAM corroborates it (the user
#                                           still carries IKR:EMAIL, the delivered key is active)
#   iam:GetAccessKeyLastUsed                on users: the in-use guard, before every deactivation and deletion (the
#                                           call names only the key; IAM authorizes it on the key's user)
#   iam:DeleteAccessKey                     on users that carry IKR:EMAIL (aws:ResourceTag)
#   iam:UpdateAccessKey                     on users that carry IKR:EMAIL (aws:ResourceTag): sets the old key
#                                           inactive, when deactivate_after_days or a user's tag asks for two stages
#   iam:ListAccountAliases                  name the account in the mail (not resource-scoped: "*")
#   dynamodb:PutItem                        on the table: puts a failed deletion back with a later date
#   dynamodb:DescribeStream, GetRecords,
#   GetShardIterator, ListStreams           on the table's streams (used by the event source mapping)
#   sqs:SendMessage                         on the on-failure queue (used by the event source mapping)
#   ssm:GetParameterHistory,
#   ssm:DeleteParameter                     on parameter/ikr/secret/iam/*, when encrypt_key_pair: which rotation
#                                           the decryption key belongs to (values stay encrypted), then its deletion
#   ses:SendEmail                           from mail_from, when mail_client = ses
#   ssm:GetParameter                        on the mailer's secret, when mail_client = mailgun or smtp
#                                           (the original destructor lacked it and could not mail through them)
#   logs:CreateLogStream, logs:PutLogEvents on its own log group
#   xray:PutTraceSegments,
#   xray:PutTelemetryRecords                when xray_tracing_mode = Active
#
# With accounts other than "self": the member roles, Organizations and the accounts queue (accounts.tf)
#
# Both: the record seal (kms.tf)
#   kms:GenerateDataKey, kms:Decrypt        on the record key, with the encryption context purpose = ikr-record-mac
#   ssm:GetParameter, ssm:PutParameter      on parameter/ikr/record-mac-key, the encrypted data key (whichever
#                                           function first needs it makes it; the other reads it)
#
# KMS
#   - SecureStrings under the AWS managed aws/ssm key (the per-user keys always; the mailer secret unless
#     mailer_secret_kms_key_arn is set) need no kms grant: that key's policy already lets any principal of
#     the account use it through SSM. With mailer_secret_kms_key_arn, both functions get kms:Decrypt on it.
#   - With enable_sse and a customer managed kms_key_arn, both functions get kms:Decrypt, kms:Encrypt and
#     kms:GenerateDataKey on it, for the table and its stream.
#   - cw_logs_kms_key_arn is used by the CloudWatch Logs service principal, not by the functions: its key
#     policy must allow logs.<region>.amazonaws.com.

locals {
  ses_identities_arn = "arn:${local.partition}:ses:${local.region}:${local.account_id}:identity/*"
  table_streams_arn  = "${aws_dynamodb_table.this.arn}/stream/*"
  table_kms_key_arn  = var.enable_sse ? var.kms_key_arn : null

  # Switches of the optional concerns. A switch selects a dynamic statement, not a document's count:
  # a KMS key ARN may be unknown until apply (a key created in the same run), and count cannot be.
  attach_ses_policy               = var.mail_client == "ses"
  attach_mailer_secret_policy     = local.mailer_secret_parameter_name != null
  attach_mailer_secret_kms_policy = local.attach_mailer_secret_policy && var.mailer_secret_kms_key_arn != null
  attach_table_kms_policy         = local.table_kms_key_arn != null
  attach_tracing_policy           = var.xray_tracing_mode == "Active"

  # Each function's own documents, in this order: its calls on the account's users (modules/key-access-policy,
  # which member roles share), on the table, on the per-user keys, and, for the rotator only, kms:Encrypt for
  # its SecureStrings and its delivery targets (deleting a SecureString needs no KMS call).
  function_policy_documents = {
    rotator = concat(
      [module.key_access.users_json["rotator"], data.aws_iam_policy_document.rotator.json, module.key_access.user_keys_json["rotator"]],
      module.key_access.rotator_secrets_json,
    )
    destructor = [module.key_access.users_json["destructor"], data.aws_iam_policy_document.destructor.json, module.key_access.user_keys_json["destructor"]]
  }

  # Documents both roles get, in this order after the function's own ones.
  shared_policy_documents = [
    data.aws_iam_policy_document.ses.json,
    data.aws_iam_policy_document.mailer_secret.json,
    data.aws_iam_policy_document.mailer_secret_kms.json,
    data.aws_iam_policy_document.table_kms.json,
    data.aws_iam_policy_document.record_seal.json,
  ]
}

# The statements on this account's IAM users, per-user keys and delivery targets: the same module gives the
# member roles of an organization theirs (modules/member-role).
module "key_access" {
  source = "./modules/key-access-policy"

  partition  = local.partition
  region     = local.region
  account_id = local.account_id

  encrypt_key_pair          = var.encrypt_key_pair
  secret_kms_key_arn        = var.secret_kms_key_arn
  delivery_secret_prefix    = var.delivery_secret_prefix
  delivery_parameter_prefix = var.delivery_parameter_prefix
  delivery_functions        = var.delivery_functions
}

data "aws_iam_policy_document" "lambda_assume_role" {
  statement {
    sid     = "LambdaAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# Each function's own calls on the table and its stream (on the account's users: modules/key-access-policy)
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "rotator" {
  statement {
    sid = "RecordPendingDeletions"
    actions = [
      "dynamodb:Scan",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.this.arn]
  }
}

data "aws_iam_policy_document" "destructor" {
  statement {
    sid       = "RequeueFailedDeletions"
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.this.arn]
  }

  statement {
    sid = "ReadTableStream"
    actions = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]
    resources = [local.table_streams_arn]
  }

  statement {
    sid       = "ReportFailedBatches"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.destructor_failures.arn]
  }
}

# ---------------------------------------------------------------------------------------------------
# Concerns of both functions
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "ses" {
  dynamic "statement" {
    for_each = local.attach_ses_policy ? [true] : []
    content {
      sid       = "SendMailWithSes"
      actions   = ["ses:SendEmail"]
      resources = [local.ses_identities_arn]

      condition {
        test     = "StringEquals"
        variable = "ses:FromAddress"
        values   = [var.mail_from]
      }
    }
  }
}

data "aws_iam_policy_document" "mailer_secret" {
  dynamic "statement" {
    for_each = local.attach_mailer_secret_policy ? [local.mailer_secret_parameter_arn] : []
    content {
      sid       = "ReadMailerSecret"
      actions   = ["ssm:GetParameter"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "mailer_secret_kms" {
  dynamic "statement" {
    for_each = local.attach_mailer_secret_kms_policy ? [var.mailer_secret_kms_key_arn] : []
    content {
      sid       = "DecryptMailerSecret"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "table_kms" {
  dynamic "statement" {
    for_each = local.attach_table_kms_policy ? [local.table_kms_key_arn] : []
    content {
      sid       = "UseTableKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

# The log groups of the functions that run with the role: its own, and the account worker's for the rotator's.
data "aws_iam_policy_document" "logs" {
  for_each = local.functions

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for key, function in local.deployed_functions : "${aws_cloudwatch_log_group.this[key].arn}:*" if function.role == each.key]
  }
}

data "aws_iam_policy_document" "tracing" {
  dynamic "statement" {
    for_each = local.attach_tracing_policy ? [true] : []
    content {
      sid       = "SendTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# Roles and their policies
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "this" {
  for_each = local.functions

  source_policy_documents = concat(
    local.function_policy_documents[each.key],
    local.account_policy_documents[each.key],
    local.shared_policy_documents,
    [data.aws_iam_policy_document.kms_rotation[each.key].json],
    [data.aws_iam_policy_document.logs[each.key].json, data.aws_iam_policy_document.tracing.json],
  )
}

resource "aws_iam_role" "this" {
  for_each = local.functions

  name                  = each.value.role_name
  description           = "IKR: role of the ${each.value.function_name} function"
  assume_role_policy    = data.aws_iam_policy_document.lambda_assume_role.json
  force_detach_policies = true
  tags                  = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = local.functions

  name   = "${each.value.role_name}-policy"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json
}

# ---------------------------------------------------------------------------------------------------
# Both functions: sealing and checking table items (the record key is in kms.tf)
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "record_seal" {
  statement {
    sid       = "SealTableItems"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [local.record_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:purpose"
      values   = [local.record_key_encryption_context.purpose]
    }
  }

  statement {
    sid       = "KeepTheRecordMacKey"
    actions   = ["ssm:GetParameter", "ssm:PutParameter"]
    resources = [local.record_mac_key_parameter_arn]
  }
}
