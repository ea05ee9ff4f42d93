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
