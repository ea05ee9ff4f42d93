# Who may write the table of pending deletions: a resource-based policy on the table that denies item
# writes to every principal but IKR's two roles, and item deletes to every principal but those roles and
# table_admin_principal_arns (who cancel deletions: README "Cancelling a deletion"). A Deny in a resource
# policy wins over any Allow in an identity policy of the same account, so an administrator's dynamodb:*
# does not let them forge an item. Items are also sealed (kms.tf); this keeps unsealed items out as well.
#
# aws:PrincipalArn is the role's ARN for a role session (never the assumed-role session ARN), so one value
# per role matches every invocation of the function. It is absent for a service principal: a negated
# operator (ArnNotLike) is then true and the service is denied too. DynamoDB's own TTL deletions are not
# requests of a principal and are not affected. Only item actions are denied: the principal that runs
# Terraform still manages the table itself (UpdateTable, TTL, backups, tags, this policy, DeleteTable).

locals {
  function_role_arns = [for key in sort(keys(local.functions)) : aws_iam_role.this[key].arn]
}

data "aws_iam_policy_document" "table" {
  statement {
    sid    = "OnlyIkrWritesItems"
    effect = "Deny"
    actions = [
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:PartiQLInsert",
      "dynamodb:PartiQLUpdate",
      "dynamodb:PartiQLDelete",
    ]
    resources = [aws_dynamodb_table.this.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.function_role_arns
    }
  }

  statement {
    sid       = "OnlyIkrAndTableAdminsDeleteItems"
    effect    = "Deny"
    actions   = ["dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.this.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = concat(local.function_role_arns, var.table_admin_principal_arns)
    }
  }
}

resource "aws_dynamodb_resource_policy" "table" {
  count = var.create_table_resource_policy ? 1 : 0

  resource_arn = aws_dynamodb_table.this.arn
  policy       = data.aws_iam_policy_document.table.json
}
