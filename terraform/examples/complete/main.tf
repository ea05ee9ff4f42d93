# A complete deployment of the module. With aws_endpoint set, every service the module uses is sent
# to that emulator with dummy credentials; otherwise the usual AWS credential chain applies.
locals {
  emulated   = var.aws_endpoint != ""
  repository = abspath("${path.module}/../../..")
}

provider "aws" {
  region = var.aws_region

  access_key                  = local.emulated ? "testing" : null
  secret_key                  = local.emulated ? "testing" : null
  skip_credentials_validation = local.emulated
  skip_metadata_api_check     = local.emulated
  skip_requesting_account_id  = local.emulated
  s3_use_path_style           = local.emulated

  dynamic "endpoints" {
    for_each = local.emulated ? [var.aws_endpoint] : []
    content {
      cloudwatch     = endpoints.value
      cloudwatchlogs = endpoints.value
      dynamodb       = endpoints.value
      events         = endpoints.value
      iam            = endpoints.value
      kms            = endpoints.value
      lambda         = endpoints.value
      sns            = endpoints.value
      sqs            = endpoints.value
      ssm            = endpoints.value
      sts            = endpoints.value
    }
  }
}

module "iam_key_rotator" {
  source = "../.."

  rotator_jar_path    = coalesce(var.rotator_jar_path, "${local.repository}/rotator-function/target/rotator-function-0.1.0-SNAPSHOT-lambda.jar")
  destructor_jar_path = coalesce(var.destructor_jar_path, "${local.repository}/destructor-function/target/destructor-function-0.1.0-SNAPSHOT-lambda.jar")
  mail_from           = var.mail_from

  table_name                   = "iam-key-rotator"
  key_creator_function_name    = "iam-key-creator"
  key_creator_role_name        = "iam-key-creator"
  key_destructor_function_name = "iam-key-destructor"
  key_destructor_role_name     = "iam-key-destructor"
  cron_expression              = "0 12 * * ? *"

  rotate_after_days = 85
  delete_after_days = 5
  retry_after_mins  = 5
  encrypt_key_pair  = true
  mail_client       = "ses"

  allowed_email_domains = [".example.com"]
  admin_email           = "ikr-admins@example.com"

  table_admin_principal_arns = var.table_admin_principal_arns

  enable_pitr                  = var.enable_pitr
  enable_snapstart             = var.enable_snapstart
  deletion_protection_enabled  = var.deletion_protection_enabled
  retain_log_groups_on_destroy = var.retain_log_groups_on_destroy

  cw_log_group_retention = 30
  tags                   = var.tags

  alarm_email = var.alarm_email

  enable_kms_rotation      = var.enable_kms_rotation
  kms_enable_auto_rotation = var.kms_enable_auto_rotation
}
