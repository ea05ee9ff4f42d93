output "users_json" {
  description = "By function (rotator, destructor): its statements on the account's IAM users and their keys"
  value = {
    rotator    = data.aws_iam_policy_document.rotator_users.json
    destructor = data.aws_iam_policy_document.destructor_users.json
  }
}

output "user_keys_json" {
  description = "By function (rotator, destructor): its statement on the per-user decryption keys /ikr/secret/iam/*, when encrypt_key_pair (else a document without statements)"
  value       = { for function, document in data.aws_iam_policy_document.user_keys : function => document.json }
}

output "rotator_secrets_json" {
  description = "The rotator's further statements in the account: kms:Encrypt on secret_kms_key_arn for its SecureStrings, then the delivery targets (each only when set)"
  value       = [data.aws_iam_policy_document.user_keys_kms.json, data.aws_iam_policy_document.delivery_targets.json]
}
