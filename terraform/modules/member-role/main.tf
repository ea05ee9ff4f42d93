# The role the hub of an organization assumes in this account (MEMBER_ROLE_NAME): it trusts only the hub's
# rotator and destructor roles, with the external id when one is set, and grants in this account exactly
# the statements the hub's roles have in a single-account deployment on its users, their per-user keys and
# the delivery targets (modules/key-access-policy, which the hub uses for its own account): the rotator's
# and the destructor's together, since both assume this one role. Nothing on the table, its stream, the
# record key or the mailer: they stay in the hub.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

module "key_access" {
  source = "../key-access-policy"

  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  encrypt_key_pair          = var.encrypt_key_pair
  secret_kms_key_arn        = var.secret_kms_key_arn
  delivery_secret_prefix    = var.delivery_secret_prefix
  delivery_parameter_prefix = var.delivery_parameter_prefix
  delivery_functions        = var.delivery_functions
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "IkrHubRolesAssumeThisRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [var.hub_rotator_role_arn, var.hub_destructor_role_arn]
    }

    dynamic "condition" {
      for_each = var.member_external_id == null ? [] : [var.member_external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

data "aws_iam_policy_document" "permissions" {
  source_policy_documents = concat(
    [module.key_access.users_json["rotator"], module.key_access.user_keys_json["rotator"]],
    module.key_access.rotator_secrets_json,
    [module.key_access.users_json["destructor"], module.key_access.user_keys_json["destructor"]],
  )
}

resource "aws_iam_role" "member" {
  name                  = var.member_role_name
  description           = "IKR: assumed by the IKR hub's functions to rotate this account's IAM access keys"
  assume_role_policy    = data.aws_iam_policy_document.trust.json
  max_session_duration  = 3600
  force_detach_policies = true
  tags                  = var.tags
}

resource "aws_iam_role_policy" "member" {
  name   = "${var.member_role_name}-policy"
  role   = aws_iam_role.member.id
  policy = data.aws_iam_policy_document.permissions.json
}
