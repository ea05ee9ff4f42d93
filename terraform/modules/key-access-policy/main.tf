# The statements that touch one account's IAM users, their per-user decryption keys and their delivery
# targets: what the rotator and the destructor may do in the account whose keys they rotate. The hub module
# grants them to its two roles for its own account; modules/member-role grants the same statements, for the
# member account, to the role the hub assumes there. One definition, so that both always grant the same calls.
# What stays in the hub (the table, its stream, the record key, the mailer) is not here.

locals {
  iam_users_arn            = "arn:${var.partition}:iam::${var.account_id}:user/*"
  ssm_parameter_arn_prefix = "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter"
  user_key_parameter_arn   = "${local.ssm_parameter_arn_prefix}/ikr/secret/iam/*"

  # The user must carry IKR:EMAIL for IKR to create or delete one of its keys. IAM compares the tag key in a
  # condition key name ignoring case, as IKR does, so IKR:EMAIL also matches ikr:email; a look-alike key
  # (dotless i, Cyrillic letters, ...) does not, and IKR refuses such users anyway.
  owner_tag_condition_key = "aws:ResourceTag/IKR:EMAIL"

  # Switches of the optional statements. A switch selects a dynamic statement, not a document's count:
  # a KMS key ARN may be unknown until apply (a key created in the same run), and count cannot be.
  attach_user_keys_policy     = var.encrypt_key_pair
  attach_user_keys_kms_policy = (var.encrypt_key_pair || var.delivery_parameter_prefix != null) && var.secret_kms_key_arn != null

  # The per-user decryption keys: the rotator stores them, the destructor deletes them.
  user_key_statements = {
    rotator    = { sid = "StoreDecryptionKeys", actions = ["ssm:PutParameter"] }
    destructor = { sid = "DeleteDecryptionKeys", actions = ["ssm:GetParameterHistory", "ssm:DeleteParameter"] }
  }
}

# ---------------------------------------------------------------------------------------------------
# The account's users and their keys
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "rotator_users" {
  statement {
    sid = "ReadAccountUsers"
    actions = [
      "iam:GetAccountAuthorizationDetails",
      "iam:ListAccountAliases",
      "iam:GenerateCredentialReport",
      "iam:GetCredentialReport",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ListAccessKeys"
    actions   = ["iam:ListAccessKeys"]
    resources = [local.iam_users_arn]
  }

  statement {
    sid       = "RotateAccessKeysOfTaggedUsers"
    actions   = ["iam:CreateAccessKey", "iam:DeleteAccessKey"]
    resources = [local.iam_users_arn]

    condition {
      test     = "Null"
      variable = local.owner_tag_condition_key
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "destructor_users" {
  statement {
    sid       = "NameAccount"
    actions   = ["iam:ListAccountAliases"]
    resources = ["*"]
  }

  statement {
    sid       = "CorroborateItems"
    actions   = ["iam:GetUser", "iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"]
    resources = [local.iam_users_arn]
  }

  # The calls that change an old key, each its own statement, each only on users that carry IKR:EMAIL.
  dynamic "statement" {
    for_each = {
      DeleteOldAccessKeysOfTaggedUsers     = "iam:DeleteAccessKey"
      DeactivateOldAccessKeysOfTaggedUsers = "iam:UpdateAccessKey"
    }

    content {
      sid       = statement.key
      actions   = [statement.value]
      resources = [local.iam_users_arn]

      condition {
        test     = "Null"
        variable = local.owner_tag_condition_key
        values   = ["false"]
      }
    }
  }
}

# ---------------------------------------------------------------------------------------------------
# The per-user decryption keys and the delivery targets
# ---------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "user_keys" {
  for_each = local.user_key_statements

  dynamic "statement" {
    for_each = local.attach_user_keys_policy ? [each.value] : []
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = [local.user_key_parameter_arn]
    }
  }
}

data "aws_iam_policy_document" "user_keys_kms" {
  dynamic "statement" {
    for_each = local.attach_user_keys_kms_policy ? [var.secret_kms_key_arn] : []
    content {
      sid       = "EncryptDecryptionKeys"
      actions   = ["kms:Encrypt"]
      resources = [statement.value]
    }
  }
}

# The rotator's delivery targets (IKR:DELIVER_TO): exactly the secrets, parameters and functions the
# delivery_* inputs bound, each statement only when its input is set.
data "aws_iam_policy_document" "delivery_targets" {
  dynamic "statement" {
    for_each = var.delivery_secret_prefix != null ? [var.delivery_secret_prefix] : []
    content {
      sid       = "DeliverToSecrets"
      actions   = ["secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret"]
      resources = ["arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${statement.value}*"]
    }
  }

  dynamic "statement" {
    for_each = var.delivery_parameter_prefix != null ? [var.delivery_parameter_prefix] : []
    content {
      sid       = "DeliverToParameters"
      actions   = ["ssm:PutParameter"]
      resources = ["${local.ssm_parameter_arn_prefix}${statement.value}*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.delivery_functions) > 0 ? [var.delivery_functions] : []
    content {
      sid       = "DeliverToFunctions"
      actions   = ["lambda:InvokeFunction"]
      resources = [for name in statement.value : "arn:${var.partition}:lambda:${var.region}:${var.account_id}:function:${name}"]
    }
  }
}
