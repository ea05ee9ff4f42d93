# Addresses before the two functions were written once with for_each: existing deployments move
# their resources instead of replacing them.

moved {
  from = aws_cloudwatch_log_group.rotator
  to   = aws_cloudwatch_log_group.this["rotator"]
}

moved {
  from = aws_cloudwatch_log_group.destructor
  to   = aws_cloudwatch_log_group.this["destructor"]
}

moved {
  from = aws_lambda_function.rotator
  to   = aws_lambda_function.this["rotator"]
}

moved {
  from = aws_lambda_function.destructor
  to   = aws_lambda_function.this["destructor"]
}

moved {
  from = aws_lambda_alias.rotator
  to   = aws_lambda_alias.this["rotator"]
}

moved {
  from = aws_lambda_alias.destructor
  to   = aws_lambda_alias.this["destructor"]
}

moved {
  from = aws_iam_role.rotator
  to   = aws_iam_role.this["rotator"]
}

moved {
  from = aws_iam_role.destructor
  to   = aws_iam_role.this["destructor"]
}

moved {
  from = aws_iam_role_policy.rotator
  to   = aws_iam_role_policy.this["rotator"]
}

moved {
  from = aws_iam_role_policy.destructor
  to   = aws_iam_role_policy.this["destructor"]
}

# ---------------------------------------------------------------------------------------------------
# From the original skildops/aws-iam-key-rotator module. A module call whose source changes from the
# original to this module keeps the table (and its pending deletions), the roles and their policies,
# the functions, their log groups and (with stream_view_type = "OLD_IMAGE", the original's view type)
# the stream mapping: all are updated in place. The schedule rule, its target and the invoke
# permission are replaced (other names; they hold no state). The original's Lambda layers and
# AWSLambdaBasicExecutionRole attachments have no counterpart: a root module's plan destroys them; a
# module call takes them out of the state first, since the provider the original configured inside
# itself goes with it (README).
# aws_ssm_parameter.smtp_password has the same address here. An address that already moved above is
# moved to that earlier address, and on by the block above: each address is the target of one move.
# terraform/upgrade/from-original-root-module.tf moves a root module's resources into a module call
# named iam_key_rotator, at these same original addresses. README: "Upgrading from the original module".
# ---------------------------------------------------------------------------------------------------

moved {
  from = aws_dynamodb_table.iam_key_rotator
  to   = aws_dynamodb_table.this
}

moved {
  from = aws_iam_role.iam_key_creator
  to   = aws_iam_role.rotator
}

moved {
  from = aws_iam_role.iam_key_destructor
  to   = aws_iam_role.destructor
}

moved {
  from = aws_iam_role_policy.iam_key_creator_policy
  to   = aws_iam_role_policy.rotator
}

moved {
  from = aws_iam_role_policy.iam_key_destructor_policy
  to   = aws_iam_role_policy.destructor
}

moved {
  from = aws_cloudwatch_log_group.iam_key_creator
  to   = aws_cloudwatch_log_group.rotator
}

moved {
  from = aws_cloudwatch_log_group.iam_key_destructor
  to   = aws_cloudwatch_log_group.destructor
}

moved {
  from = aws_lambda_function.iam_key_creator
  to   = aws_lambda_function.rotator
}

moved {
  from = aws_lambda_function.iam_key_destructor
  to   = aws_lambda_function.destructor
}

moved {
  from = aws_lambda_event_source_mapping.iam_key_destructor
  to   = aws_lambda_event_source_mapping.destructor
}

moved {
  from = aws_cloudwatch_event_rule.iam_key_creator
  to   = aws_cloudwatch_event_rule.rotator
}

moved {
  from = aws_cloudwatch_event_target.iam_key_creator
  to   = aws_cloudwatch_event_target.rotator
}

moved {
  from = aws_lambda_permission.iam_key_creator
  to   = aws_lambda_permission.rotator_schedule
}

moved {
  from = aws_ssm_parameter.mailgun
  to   = aws_ssm_parameter.mailgun_api_key
}
