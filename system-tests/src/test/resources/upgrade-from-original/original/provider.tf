# As in the original module: it configures its own provider from its inputs, also when it is called as a
# child module. aws_endpoint is the fixture's own addition, to reach moto.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key

  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    events         = var.aws_endpoint
    cloudwatchlogs = var.aws_endpoint
    dynamodb       = var.aws_endpoint
    iam            = var.aws_endpoint
    lambda         = var.aws_endpoint
    ssm            = var.aws_endpoint
    sts            = var.aws_endpoint
  }
}
