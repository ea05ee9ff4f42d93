# One deployment for many accounts (accounts other than "self"): this module is then the hub. The schedule's
# rotator only lists the accounts and sends one message per account to the accounts queue; the account
# worker, a third function from the rotator's jar with the rotator's role, rotates one account per message
# through the member role it assumes there (modules/member-role), and sends itself a continuation message
# when the account does not fit in its time. The table, its stream, the record key and the mailer stay here.
#
#   EventBridge ─▶ rotator ─▶ SQS <rotator>-accounts ─▶ account worker ─▶ sts:AssumeRole <account>:role/<member_role_name>
#                  (dispatch)   │ after account_max_receive_count receives
#                               └▶ SQS <rotator>-accounts-dlq (alarm)
#
# With accounts = "self" none of this exists and nothing else changes: no queue, no worker, no grant, no
# environment variable.
#
# Hub grants, with accounts other than "self" (iam.tf merges them into the roles' policies):
#   rotator    sts:AssumeRole on arn:<partition>:iam::<account>:role/<member_role_name> of each listed account,
#              or of any account (*) with organization...; with organization..., organizations:ListAccounts,
#              ListAccountsForParent, ListOrganizationalUnitsForParent (not resource-scoped: "*");
#              sqs:SendMessage on the accounts queue (the dispatch, and the worker's continuations), and
#              sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes on it (the worker's event source mapping,
#              which uses the worker's role: the rotator's).
#   destructor sts:AssumeRole on the same member roles: an item names its account.
# Both roles keep their grants in this account (key-access-policy), so that items written before the switch
# from "self", which name no account, are still finished here, and so that this account may be listed too.

locals {
  fan_out      = var.accounts != "self"
  organization = startswith(var.accounts, "organization")

  # Which member roles the hub's roles may assume: the listed accounts' own, or the role's name in any
  # account when the organization decides.
  member_role_arns = local.fan_out ? (
    local.organization
    ? ["arn:${local.partition}:iam::*:role/${var.member_role_name}"]
    : [for account in split(",", var.accounts) : "arn:${local.partition}:iam::${account}:role/${var.member_role_name}"]
  ) : []

  account_queue_name = "${var.key_creator_function_name}-accounts"
  account_dlq_name   = "${var.key_creator_function_name}-accounts-dlq"

  # The variables of the accounts, by role: the rotator's role runs the dispatch and the worker, which both
  # read the selection and send to the queue; the destructor only assumes the member role an item names.
  # (Filtered by what is known at plan, not by value: the queue's URL is known only after apply.)
  member_role_environment = local.fan_out ? merge(
    { MEMBER_ROLE_NAME = var.member_role_name },
    var.member_external_id == null ? {} : { MEMBER_EXTERNAL_ID = var.member_external_id },
  ) : {}
  account_environment = {
    rotator = local.fan_out ? merge(local.member_role_environment, {
      ACCOUNTS          = var.accounts
      ACCOUNT_QUEUE_URL = one(aws_sqs_queue.accounts[*].url)
    }) : {}
    destructor = local.member_role_environment
  }

  # The worker: the rotator's jar, role, timeout and environment, another handler.
  account_worker = {
    account_worker = merge(local.functions.rotator, {
      function_name     = var.account_worker_function_name
      description       = "IKR: rotates the access keys of one account per message of ${local.account_queue_name}, through the account's ${var.member_role_name} role"
      handler           = "dev.ikr.rotator.AccountWorkerHandler::handleRequest"
      alias_description = "The published version the accounts queue invokes"
    })
  }

  # Every function this module deploys: the two that have a role of their own, and the worker when fanning out.
  deployed_functions = merge(local.functions, local.fan_out ? local.account_worker : {})

  # By role, the documents below (without statements with accounts = "self"), merged into its policy (iam.tf).
  account_policy_documents = {
    rotator    = [data.aws_iam_policy_document.accounts["rotator"].json, data.aws_iam_policy_document.account_queue.json]
    destructor = [data.aws_iam_policy_document.accounts["destructor"].json]
  }
}

# ---------------------------------------------------------------------------------------------------
# The accounts queue and its dead-letter queue
# ---------------------------------------------------------------------------------------------------

# Where an account's message goes after account_max_receive_count failed runs. SQS keeps a message's first
# enqueue time when it moves it, so this queue keeps messages longer (14 days, the most) than the source (4).
resource "aws_sqs_queue" "accounts_dlq" {
  count = local.fan_out ? 1 : 0

  name                      = local.account_dlq_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

# One message per account and run: {"account": "<12 digits>", "dispatchedAt": "<instant>", "continuation": <n>}.
# Lambda refuses a mapping whose function may run longer than the queue's visibility timeout; AWS recommends
# six times the function's timeout, so that a throttled batch can be retried before it shows again.
resource "aws_sqs_queue" "accounts" {
  count = local.fan_out ? 1 : 0

  name                       = local.account_queue_name
  visibility_timeout_seconds = 6 * var.function_timeout
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.accounts_dlq[0].arn
    maxReceiveCount     = var.account_max_receive_count
  })

  tags = var.tags
}

# One account per invocation (batch size 1), a failed account reported on its own (ReportBatchItemFailures),
# and at most max_account_concurrency accounts at once.
resource "aws_lambda_event_source_mapping" "account_worker" {
  count = local.fan_out ? 1 : 0

  event_source_arn        = aws_sqs_queue.accounts[0].arn
  function_name           = aws_lambda_alias.this["account_worker"].arn
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.max_account_concurrency
  }

  lifecycle {
    # "Don't configure maximum concurrency higher than the function's reserved concurrency" (Lambda Developer
    # Guide): the mapping would receive messages the function cannot take, and throttled messages count as
    # received, towards the dead-letter queue.
    precondition {
      condition     = var.reserved_concurrent_executions < 1 || var.max_account_concurrency <= var.reserved_concurrent_executions
      error_message = "max_account_concurrency (${var.max_account_concurrency}) must not exceed reserved_concurrent_executions (${var.reserved_concurrent_executions}): the accounts Lambda cannot take would be throttled, counted as received, and sent to the dead-letter queue."
    }
  }

  # Lambda checks on creation that the role can receive from the queue.
  depends_on = [aws_iam_role_policy.this["rotator"]]
}

# ---------------------------------------------------------------------------------------------------
# The hub's grants for the accounts (merged into each role's policy in iam.tf)
# ---------------------------------------------------------------------------------------------------

# Both roles: the member roles; the rotator's: the organization's accounts. Known at plan.
data "aws_iam_policy_document" "accounts" {
  for_each = local.functions

  dynamic "statement" {
    for_each = local.fan_out ? [local.member_role_arns] : []
    content {
      sid       = "AssumeMemberRoles"
      actions   = ["sts:AssumeRole"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = local.fan_out && local.organization && each.key == "rotator" ? [true] : []
    content {
      sid = "ListOrganizationAccounts"
      actions = [
        "organizations:ListAccounts",
        "organizations:ListAccountsForParent",
        "organizations:ListOrganizationalUnitsForParent",
      ]
      resources = ["*"]
    }
  }
}

# The rotator's role on the accounts queue: the dispatch and the worker's continuations send, the worker's
# event source mapping receives and deletes.
data "aws_iam_policy_document" "account_queue" {
  dynamic "statement" {
    for_each = aws_sqs_queue.accounts[*].arn
    content {
      sid       = "DispatchAccounts"
      actions   = ["sqs:SendMessage"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = aws_sqs_queue.accounts[*].arn
    content {
      sid       = "ReceiveAccounts"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = [statement.value]
    }
  }
}
