# Both deployments after the switch to IKR, as the README's "Upgrading from the original module" has a
# user write them. IKR_MODULE_SOURCE is replaced by the test with the repository's terraform/ directory.
# The root-module case also gets terraform/upgrade/from-original-root-module.tf, copied as it is shipped.

variable "aws_endpoint" {
  type = string
}

variable "jar_path" {
  type        = string
  description = "A stand-in for both Lambda jars: this test never runs the functions"
}

variable "mailgun_api_key" {
  type      = string
  sensitive = true
}

# The unaliased provider of the root-module case: the one the original's root resources were made with,
# which also destroys the layers and policy attachments that have no counterpart in IKR.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    events         = var.aws_endpoint
    cloudwatch     = var.aws_endpoint
    cloudwatchlogs = var.aws_endpoint
    dynamodb       = var.aws_endpoint
    iam            = var.aws_endpoint
    kms            = var.aws_endpoint
    lambda         = var.aws_endpoint
    sqs            = var.aws_endpoint
    ssm            = var.aws_endpoint
    sts            = var.aws_endpoint
  }
}

# The module-call case's provider, configured here now that the module no longer configures its own.
provider "aws" {
  alias                       = "west"
  region                      = "us-west-2"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    events         = var.aws_endpoint
    cloudwatch     = var.aws_endpoint
    cloudwatchlogs = var.aws_endpoint
    dynamodb       = var.aws_endpoint
    iam            = var.aws_endpoint
    kms            = var.aws_endpoint
    lambda         = var.aws_endpoint
    sqs            = var.aws_endpoint
    ssm            = var.aws_endpoint
    sts            = var.aws_endpoint
  }
}

# Root-module case: the original's own inputs keep their values (here its defaults).
module "iam_key_rotator" {
  source = "IKR_MODULE_SOURCE"

  rotator_jar_path    = var.jar_path
  destructor_jar_path = var.jar_path
  mail_client         = "mailgun"
  mail_from           = "ikr@example.com"
  mailgun_api_url     = "https://api.mailgun.net/v3/mg.example.com"
  mailgun_api_key     = var.mailgun_api_key
  stream_view_type    = "OLD_IMAGE"
  enable_snapstart    = false
}

# Module-call case: the same module call, with its source changed and the provider inputs gone.
module "key_rotator" {
  source = "IKR_MODULE_SOURCE"
  providers = {
    aws = aws.west
  }

  rotator_jar_path         = var.jar_path
  destructor_jar_path      = var.jar_path
  key_creator_role_name    = "west-key-creator"
  key_destructor_role_name = "west-key-destructor"
  mail_client              = "mailgun"
  mail_from                = "ikr@example.com"
  mailgun_api_url          = "https://api.mailgun.net/v3/mg.example.com"
  mailgun_api_key          = var.mailgun_api_key
  stream_view_type         = "OLD_IMAGE"
  enable_snapstart         = false
}
