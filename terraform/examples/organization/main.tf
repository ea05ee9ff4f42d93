# IKR for an AWS Organization: the hub module in the hub account (the default provider) and the member role in
# a member account (the provider alias "member", which assumes a role there). For more member accounts, add a
# provider alias and a module "member_role" block per account, or apply modules/member-role from a root module
# of its own per account (one state each); the hub needs no change when accounts = "organization...".
locals {
  repository = abspath("${path.module}/../../..")
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "member"
  region = var.region

  assume_role {
    role_arn     = "arn:aws:iam::${var.member_account_id}:role/${var.member_deploy_role_name}"
    session_name = "ikr-terraform"
  }
}

module "iam_key_rotator" {
  source = "../.."

  rotator_jar_path    = coalesce(var.rotator_jar_path, "${local.repository}/rotator-function/target/rotator-function-0.1.0-SNAPSHOT-lambda.jar")
  destructor_jar_path = coalesce(var.destructor_jar_path, "${local.repository}/destructor-function/target/destructor-function-0.1.0-SNAPSHOT-lambda.jar")
  mail_from           = var.mail_from

  accounts                = coalesce(var.accounts, var.member_account_id)
  member_role_name        = "ikr-member"
  member_external_id      = var.member_external_id
  max_account_concurrency = var.max_account_concurrency

  delivery_parameter_prefix = var.delivery_parameter_prefix

  enable_snapstart            = var.enable_snapstart
  deletion_protection_enabled = var.deletion_protection_enabled
  tags                        = var.tags
}

module "member_role" {
  source = "../../modules/member-role"
  providers = {
    aws = aws.member
  }

  hub_rotator_role_arn    = module.iam_key_rotator.key_creator_role_arn
  hub_destructor_role_arn = module.iam_key_rotator.key_destructor_role_arn
  member_role_name        = "ikr-member"
  member_external_id      = var.member_external_id

  # the hub's settings of the same names: they decide the same statements
  delivery_parameter_prefix = var.delivery_parameter_prefix

  tags = var.tags
}
