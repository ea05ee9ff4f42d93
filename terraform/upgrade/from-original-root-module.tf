# For a deployment that applied the original skildops/aws-iam-key-rotator module as its ROOT module (its
# terraform/ directory, with its provider inputs), now replaced by a root module that calls IKR:
#
#   provider "aws" { ... }             # unaliased, same account and region as before
#
#   module "iam_key_rotator" {
#     source = "github.com/<your-fork>/ikr//terraform"
#     ...
#   }
#
# Copy this file next to that module call (README, "Upgrading from the original module"). It moves each
# of the original's resources from the root into the module call, to the address the original gave it;
# IKR's own moved blocks (terraform/moved.tf) carry it on to IKR's address. Moving straight to IKR's
# address would be refused: an address can be the target of only one move, and IKR's block already
# targets it. So the table keeps its pending deletions, and the roles, functions, log groups and the
# stream mapping are updated in place, not destroyed and created again.
#
# The module call must be named iam_key_rotator; under another name, replace module.iam_key_rotator below.
# Not moved: the original's Lambda layers and its AWSLambdaBasicExecutionRole attachments have no
# counterpart in IKR, so the plan destroys them, with the root's provider (IKR grants each function its
# own log group inline). Moves into a module of another package (a git or registry source) need
# Terraform 1.3 or later; the module needs 1.5. Keep the file until every state it applies to is upgraded.

moved {
  from = aws_dynamodb_table.iam_key_rotator
  to   = module.iam_key_rotator.aws_dynamodb_table.iam_key_rotator
}

moved {
  from = aws_ssm_parameter.mailgun
  to   = module.iam_key_rotator.aws_ssm_parameter.mailgun
}

moved {
  from = aws_ssm_parameter.smtp_password
  to   = module.iam_key_rotator.aws_ssm_parameter.smtp_password
}

moved {
  from = aws_iam_role.iam_key_creator
  to   = module.iam_key_rotator.aws_iam_role.iam_key_creator
}

moved {
  from = aws_iam_role_policy.iam_key_creator_policy
  to   = module.iam_key_rotator.aws_iam_role_policy.iam_key_creator_policy
}

moved {
  from = aws_cloudwatch_log_group.iam_key_creator
  to   = module.iam_key_rotator.aws_cloudwatch_log_group.iam_key_creator
}

moved {
  from = aws_lambda_function.iam_key_creator
  to   = module.iam_key_rotator.aws_lambda_function.iam_key_creator
}

moved {
  from = aws_cloudwatch_event_rule.iam_key_creator
  to   = module.iam_key_rotator.aws_cloudwatch_event_rule.iam_key_creator
}

moved {
  from = aws_cloudwatch_event_target.iam_key_creator
  to   = module.iam_key_rotator.aws_cloudwatch_event_target.iam_key_creator
}

moved {
  from = aws_lambda_permission.iam_key_creator
  to   = module.iam_key_rotator.aws_lambda_permission.iam_key_creator
}

moved {
  from = aws_iam_role.iam_key_destructor
  to   = module.iam_key_rotator.aws_iam_role.iam_key_destructor
}

moved {
  from = aws_iam_role_policy.iam_key_destructor_policy
  to   = module.iam_key_rotator.aws_iam_role_policy.iam_key_destructor_policy
}

moved {
  from = aws_cloudwatch_log_group.iam_key_destructor
  to   = module.iam_key_rotator.aws_cloudwatch_log_group.iam_key_destructor
}

moved {
  from = aws_lambda_function.iam_key_destructor
  to   = module.iam_key_rotator.aws_lambda_function.iam_key_destructor
}

moved {
  from = aws_lambda_event_source_mapping.iam_key_destructor
  to   = module.iam_key_rotator.aws_lambda_event_source_mapping.iam_key_destructor
}
