# Added to the fixture applied as a root module (the root-module case): the same original called as a
# child module (the module-call case), in another region so that names such as the fixed rule name
# IAMAccessKeyCreator do not clash. IAM is global, so its roles have names of their own.
module "key_rotator" {
  source = "../original"

  region                   = "us-west-2"
  aws_endpoint             = var.aws_endpoint
  function_zip_path        = var.function_zip_path
  logs_policy_arn          = var.logs_policy_arn
  key_creator_role_name    = "west-key-creator"
  key_destructor_role_name = "west-key-destructor"
  mail_client              = var.mail_client
  mail_from                = var.mail_from
  mailgun_api_url          = var.mailgun_api_url
  mailgun_api_key          = var.mailgun_api_key
}
