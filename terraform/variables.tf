# Inputs of the original skildops/aws-iam-key-rotator module keep their names and meaning. Its provider
# inputs (region, profile, access_key, secret_key, session_token) are gone: the caller configures the
# provider. Its lambda_runtime is gone too: the functions are Java 21.

# ---------------------------------------------------------------------------------------------------
# DynamoDB table of pending deletions
# ---------------------------------------------------------------------------------------------------

variable "table_name" {
  type        = string
  default     = "iam-key-rotator"
  description = "Name of the DynamoDB table that holds the old access keys waiting to be deleted"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "table_name must be 3 to 255 characters: letters, digits, '_', '-' and '.'."
  }
}

variable "enable_sse" {
  type        = bool
  default     = true
  description = "Whether to encrypt the table with a KMS key (`kms_key_arn`, or the AWS managed `aws/dynamodb` key when it is null). When false, DynamoDB still encrypts it with an AWS owned key"
}

variable "kms_key_arn" {
  type        = string
  default     = null
  description = "ARN of a customer managed KMS key to encrypt the table with instead of the AWS managed key. Only used when `enable_sse` is true; both functions are allowed to use it"

  # IAM policies name a KMS key by its key ARN only (no key id, alias name or alias ARN).
  validation {
    condition     = var.kms_key_arn == null || !strcontains(coalesce(var.kms_key_arn, "-"), "alias/")
    error_message = "kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: IAM grants do not honour aliases, and DynamoDB reports the key ARN, so an alias shows as a change on every plan. Look the key ARN up with aws kms describe-key --key-id <alias>."
  }

  validation {
    condition     = var.kms_key_arn == null || strcontains(coalesce(var.kms_key_arn, "-"), "alias/") || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$", coalesce(var.kms_key_arn, "-")))
    error_message = "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null."
  }
}

variable "enable_pitr" {
  type        = bool
  default     = true
  description = "Whether to enable point-in-time recovery for the DynamoDB table"
}

variable "stream_view_type" {
  type        = string
  default     = "NEW_AND_OLD_IMAGES"
  nullable    = false
  description = "What the table's stream records of a removed item: `NEW_AND_OLD_IMAGES` or `OLD_IMAGE` (the destructor reads only the old image). A table made by the original module streams `OLD_IMAGE`: keep that when upgrading from it, since changing the view type of a stream replaces the stream and with it the destructor's mapping"

  validation {
    condition     = contains(["NEW_AND_OLD_IMAGES", "OLD_IMAGE"], var.stream_view_type)
    error_message = "stream_view_type must be NEW_AND_OLD_IMAGES or OLD_IMAGE: the destructor needs the old image of each removed item."
  }
}

variable "deletion_protection_enabled" {
  type        = bool
  default     = true
  nullable    = false
  description = "Whether DynamoDB refuses to delete the table of pending deletions (it holds the old keys still to be deleted). Set it to false and apply before `terraform destroy`"
}

# ---------------------------------------------------------------------------------------------------
# Functions and their roles
# ---------------------------------------------------------------------------------------------------

variable "key_creator_role_name" {
  type        = string
  default     = "iam-key-creator"
  description = "Name of the IAM role of the key creator (rotator) function"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.key_creator_role_name))
    error_message = "key_creator_role_name must be 1 to 64 characters: letters, digits and +=,.@_-."
  }
}

variable "key_creator_function_name" {
  type        = string
  default     = "iam-key-creator"
  description = "Name of the Lambda function that creates a new access key pair when the old one is due (the rotator); its schedule rule has the same name"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.key_creator_function_name))
    error_message = "key_creator_function_name must be 1 to 64 characters: letters, digits, '_' and '-'."
  }
}

variable "key_destructor_role_name" {
  type        = string
  default     = "iam-key-destructor"
  description = "Name of the IAM role of the key destructor function"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.key_destructor_role_name))
    error_message = "key_destructor_role_name must be 1 to 64 characters: letters, digits and +=,.@_-."
  }
}

variable "key_destructor_function_name" {
  type        = string
  default     = "iam-key-destructor"
  description = "Name of the Lambda function that deletes an old access key pair when its deletion date has passed; its on-failure queue is named `<name>-failures`"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.key_destructor_function_name))
    error_message = "key_destructor_function_name must be 1 to 64 characters: letters, digits, '_' and '-'."
  }
}

variable "rotator_jar_path" {
  type        = string
  description = "Path of the rotator's deployment jar (`rotator-function/target/rotator-function-<version>-lambda.jar`)"

  validation {
    condition     = fileexists(var.rotator_jar_path)
    error_message = "rotator_jar_path must name an existing file: build it with `mvn package` first."
  }
}

variable "destructor_jar_path" {
  type        = string
  description = "Path of the destructor's deployment jar (`destructor-function/target/destructor-function-<version>-lambda.jar`)"

  validation {
    condition     = fileexists(var.destructor_jar_path)
    error_message = "destructor_jar_path must name an existing file: build it with `mvn package` first."
  }
}

variable "cron_expression" {
  type        = string
  default     = "0 12 * * ? *"
  description = "[CRON expression](https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html) (six fields, without `cron(...)`) of how often the key creator checks whether a user needs a new key pair. One of day-of-month and day-of-week must be `?`"

  validation {
    condition     = length(regexall("\\S+", var.cron_expression)) == 6 && !startswith(trimspace(var.cron_expression), "cron(")
    error_message = "cron_expression must be an EventBridge cron expression of six fields (minutes hours day-of-month month day-of-week year) without the cron(...) wrapper, e.g. \"0 12 * * ? *\"."
  }

  # EventBridge: "If you specify a value or a * (asterisk) in one of the fields, you must use a ?
  # (question mark) in the other."
  validation {
    condition = length(regexall("\\S+", var.cron_expression)) != 6 || (
      (regexall("\\S+", var.cron_expression)[2] == "?") != (regexall("\\S+", var.cron_expression)[4] == "?")
    )
    error_message = "cron_expression must have ? in exactly one of day-of-month (third field) and day-of-week (fifth field), as EventBridge requires: e.g. \"0 12 * * ? *\" (every day) or \"0 12 ? * MON *\" (Mondays)."
  }

  # The values and wildcards EventBridge documents for each field, in order: minutes 0-59, hours
  # 0-23, day-of-month 1-31 (with ? L W), month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT (with
  # ? L #, one # expression only), year 1970-2199; every field with , - * and all but day-of-week with /.
  validation {
    condition = length(regexall("\\S+", var.cron_expression)) != 6 || alltrue([
      for index, field in regexall("\\S+", var.cron_expression) : can(regex([
        "^(\\*|[0-5]?[0-9](-[0-5]?[0-9])?)(/[0-9]+)?(,(\\*|[0-5]?[0-9](-[0-5]?[0-9])?)(/[0-9]+)?)*$",
        "^(\\*|([01]?[0-9]|2[0-3])(-([01]?[0-9]|2[0-3]))?)(/[0-9]+)?(,(\\*|([01]?[0-9]|2[0-3])(-([01]?[0-9]|2[0-3]))?)(/[0-9]+)?)*$",
        "^(\\?|((\\*|(0?[1-9]|[12][0-9]|3[01])(-(0?[1-9]|[12][0-9]|3[01]))?)(/[0-9]+)?|L|LW|(0?[1-9]|[12][0-9]|3[01])W)(,((\\*|(0?[1-9]|[12][0-9]|3[01])(-(0?[1-9]|[12][0-9]|3[01]))?)(/[0-9]+)?|L|LW|(0?[1-9]|[12][0-9]|3[01])W))*)$",
        "^(\\*|(0?[1-9]|1[0-2]|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))(-(0?[1-9]|1[0-2]|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)))?)(/[0-9]+)?(,(\\*|(0?[1-9]|1[0-2]|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))(-(0?[1-9]|1[0-2]|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)))?)(/[0-9]+)?)*$",
        "^(\\?|([1-7]|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))#[1-5]|(\\*|([1-7]|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))(-([1-7]|(?i:SUN|MON|TUE|WED|THU|FRI|SAT)))?|[1-7]?L)(,(\\*|([1-7]|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))(-([1-7]|(?i:SUN|MON|TUE|WED|THU|FRI|SAT)))?|[1-7]?L))*)$",
        "^(\\*|(19[7-9][0-9]|2[01][0-9][0-9])(-(19[7-9][0-9]|2[01][0-9][0-9]))?)(/[0-9]+)?(,(\\*|(19[7-9][0-9]|2[01][0-9][0-9])(-(19[7-9][0-9]|2[01][0-9][0-9]))?)(/[0-9]+)?)*$",
      ][index], field))
    ])
    error_message = "cron_expression has a field EventBridge refuses: minutes 0-59, hours 0-23, day-of-month 1-31 (or ?, L, W), month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT (or ?, L, one #), year 1970-2199, each with the wildcards , - * and / (not / in day-of-week)."
  }
}

variable "function_memory_size" {
  type        = number
  default     = 512
  description = "Memory in MB of both the creator and the destructor function (the original's 128 is too little for a Java runtime)"

  validation {
    condition     = var.function_memory_size >= 128 && var.function_memory_size <= 10240 && floor(var.function_memory_size) == var.function_memory_size
    error_message = "function_memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "function_timeout" {
  type        = number
  default     = 300
  description = "Timeout in seconds of both the creator and the destructor function"

  validation {
    condition     = var.function_timeout >= 1 && var.function_timeout <= 900 && floor(var.function_timeout) == var.function_timeout
    error_message = "function_timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "reserved_concurrent_executions" {
  type        = number
  default     = -1
  description = "Reserved concurrent executions of each function. `0` stops the functions from being invoked and `-1` removes any concurrency limit"

  validation {
    condition     = var.reserved_concurrent_executions >= -1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "reserved_concurrent_executions must be -1 (no limit), 0 (disabled) or a positive whole number."
  }
}

variable "xray_tracing_mode" {
  type        = string
  default     = "PassThrough"
  description = "Whether to sample and trace a subset of incoming requests with AWS X-Ray. **Possible values:** `PassThrough` and `Active`"

  validation {
    condition     = contains(["PassThrough", "Active"], var.xray_tracing_mode)
    error_message = "xray_tracing_mode must be PassThrough or Active."
  }
}

variable "enable_snapstart" {
  type        = bool
  default     = true
  description = "Whether to enable Lambda SnapStart on the published versions the aliases point at (faster Java cold starts). Turn it off only where SnapStart is unavailable, e.g. an emulator"
}

variable "max_concurrency" {
  type        = number
  default     = 4
  description = "`MAX_CONCURRENCY`: how many users each function handles at once"

  validation {
    condition     = var.max_concurrency >= 1 && var.max_concurrency <= 64 && floor(var.max_concurrency) == var.max_concurrency
    error_message = "max_concurrency must be a whole number from 1 to 64."
  }
}

variable "event_source_maximum_retry_attempts" {
  type        = number
  default     = 10
  description = "How often Lambda retries a failing batch of stream records before it sends the batch's description to the on-failure queue (`-1`: until the records expire)"

  validation {
    condition     = var.event_source_maximum_retry_attempts >= -1 && var.event_source_maximum_retry_attempts <= 10000 && floor(var.event_source_maximum_retry_attempts) == var.event_source_maximum_retry_attempts
    error_message = "event_source_maximum_retry_attempts must be -1 or a whole number from 0 to 10000."
  }
}

variable "cw_log_group_retention" {
  type        = number
  default     = 90
  description = "Days to keep the functions' logs. One of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 and 3653; `0` keeps them forever"

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cw_log_group_retention)
    error_message = "cw_log_group_retention must be 0 or one of the retention periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "retain_log_groups_on_destroy" {
  type        = bool
  default     = false
  nullable    = false
  description = "Whether `terraform destroy` leaves the functions' log groups (and their logs) in CloudWatch Logs, only removing them from the state"
}

variable "cw_logs_kms_key_arn" {
  type        = string
  default     = null
  description = "ARN of a KMS key to encrypt the functions' log groups with. Its key policy must allow the CloudWatch Logs service principal to use it"

  # IAM policies name a KMS key by its key ARN only (no key id, alias name or alias ARN).
  validation {
    condition     = var.cw_logs_kms_key_arn == null || !strcontains(coalesce(var.cw_logs_kms_key_arn, "-"), "alias/")
    error_message = "cw_logs_kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: CloudWatch Logs takes the ARN of the key itself. Look the key ARN up with aws kms describe-key --key-id <alias>."
  }

  validation {
    condition     = var.cw_logs_kms_key_arn == null || strcontains(coalesce(var.cw_logs_kms_key_arn, "-"), "alias/") || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$", coalesce(var.cw_logs_kms_key_arn, "-")))
    error_message = "cw_logs_kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Key value pairs to assign to every resource"
}

# ---------------------------------------------------------------------------------------------------
# Rotation policy
# ---------------------------------------------------------------------------------------------------

variable "rotate_after_days" {
  type        = number
  default     = 85
  description = "Days after which a new access key pair is created. **Note:** the user's `IKR:ROTATE_AFTER_DAYS` tag takes precedence"

  validation {
    condition     = var.rotate_after_days >= 1 && var.rotate_after_days <= 36500 && floor(var.rotate_after_days) == var.rotate_after_days
    error_message = "rotate_after_days must be a whole number of days from 1 to 36500."
  }
}

variable "delete_after_days" {
  type        = number
  default     = 5
  description = "Days to wait, after a new key pair is created, before the old key pair is deleted. **Note:** the user's `IKR:DELETE_AFTER_DAYS` tag takes precedence"

  validation {
    condition     = var.delete_after_days >= 1 && var.delete_after_days <= 36500 && floor(var.delete_after_days) == var.delete_after_days
    error_message = "delete_after_days must be a whole number of days from 1 to 36500."
  }
}

variable "deactivate_after_days" {
  type        = number
  default     = null
  description = "`DEACTIVATE_AFTER_DAYS`: days after a new key pair is delivered when the old key is set inactive, before its deletion at `delete_after_days` (it can be re-activated until then). Must be smaller than `delete_after_days`. `null` (the default): a single stage, the old key is deleted without being deactivated first. **Note:** the user's `IKR:DEACTIVATE_AFTER_DAYS` tag takes precedence"

  validation {
    condition     = var.deactivate_after_days == null || (coalesce(var.deactivate_after_days, 1) >= 1 && coalesce(var.deactivate_after_days, 1) <= 36500 && floor(coalesce(var.deactivate_after_days, 1)) == coalesce(var.deactivate_after_days, 1))
    error_message = "deactivate_after_days must be null or a whole number of days from 1 to 36500."
  }
}

variable "in_use_postpone_days" {
  type        = number
  default     = 3
  description = "`IN_USE_POSTPONE_DAYS`: when the old key was used after its replacement was delivered, its deactivation or deletion is postponed to the time of the check plus this many days (a later deletion date moves by as much)"

  validation {
    condition     = var.in_use_postpone_days >= 1 && var.in_use_postpone_days <= 36500 && floor(var.in_use_postpone_days) == var.in_use_postpone_days
    error_message = "in_use_postpone_days must be a whole number of days from 1 to 36500."
  }
}

variable "max_postponements" {
  type        = number
  default     = 2
  description = "`MAX_POSTPONEMENTS`: how often one step (deactivation or deletion) of a key still in use is postponed; then `in_use_policy` decides. 0: the owner is only told, never postponed"

  validation {
    condition     = var.max_postponements >= 0 && var.max_postponements <= 100 && floor(var.max_postponements) == var.max_postponements
    error_message = "max_postponements must be a whole number from 0 to 100."
  }
}

variable "in_use_policy" {
  type        = string
  default     = "proceed"
  description = "`IN_USE_POLICY`: what happens to a key still in use after `max_postponements`: `proceed` deactivates or deletes it all the same (the mail says it was in use), `hold` keeps it and parks the item as needs_attention for a person"

  validation {
    condition     = contains(["proceed", "hold"], var.in_use_policy)
    error_message = "in_use_policy must be proceed or hold."
  }
}

variable "retry_after_mins" {
  type        = number
  default     = 5
  description = "When the destructor fails to delete an old key, how many minutes it waits before the next try"

  validation {
    condition     = var.retry_after_mins >= 1 && var.retry_after_mins <= 10080 && floor(var.retry_after_mins) == var.retry_after_mins
    error_message = "retry_after_mins must be a whole number of minutes from 1 to 10080 (a week)."
  }
}

variable "max_delete_attempts" {
  type        = number
  default     = 10
  description = "`MAX_DELETE_ATTEMPTS`: failed deletions of an old key after which the destructor stops retrying and asks a person by mail"

  validation {
    condition     = var.max_delete_attempts >= 1 && var.max_delete_attempts <= 1000 && floor(var.max_delete_attempts) == var.max_delete_attempts
    error_message = "max_delete_attempts must be a whole number from 1 to 1000."
  }
}

variable "encrypt_key_pair" {
  type        = bool
  default     = true
  description = "Whether to mail the new key pair encrypted; the key to decrypt it is kept in the SSM SecureString `/ikr/secret/iam/<user>`"
}

# ---------------------------------------------------------------------------------------------------
# Mail
# ---------------------------------------------------------------------------------------------------

variable "mail_client" {
  type        = string
  default     = "ses"
  description = "Mail client to use. **Supported clients:** ses, mailgun and smtp"

  validation {
    condition     = contains(["ses", "mailgun", "smtp"], var.mail_client)
    error_message = "mail_client must be one of ses, mailgun, smtp."
  }
}

variable "mail_from" {
  type        = string
  description = "Address the mails are sent from. **Note:** the mail client must be set up for it first (e.g. a verified SES identity)"

  validation {
    # The shape the functions check at cold start (EmailAddress): an ASCII local part, a dotted domain of
    # letters, digits and hyphens, at most 254 characters.
    condition     = length(var.mail_from) <= 254 && can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", var.mail_from))
    error_message = "mail_from must be a plain mail address such as ikr@example.com: at most 254 ASCII characters, no display name, spaces or <>, and a domain with a dot."
  }
}

variable "allowed_email_domains" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "`ALLOWED_EMAIL_DOMAINS`: the only domains new keys may be mailed to (`example.com`; `.example.com` also allows its subdomains). Empty: any domain. A user whose `IKR:EMAIL` is elsewhere is reported `misconfigured`"

  validation {
    condition = alltrue([for domain in var.allowed_email_domains :
    length(trimprefix(domain, ".")) <= 253 && can(regex("^\\.?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", domain))])
    error_message = "allowed_email_domains must hold domain names such as example.com, or .example.com to allow its subdomains too: ASCII only (xn-- for an internationalised domain), no @, spaces or empty entries."
  }
}

variable "smtp_server" {
  type        = string
  default     = null
  description = "Host name of the SMTP server (without port). **Note:** required if `mail_client` is smtp"

  validation {
    condition     = var.smtp_server == null || can(regex("^[A-Za-z0-9._-]+$", var.smtp_server))
    error_message = "smtp_server must be a host name such as smtp.example.com; the port goes in smtp_port."
  }
}

variable "smtp_port" {
  type        = number
  default     = null
  description = "Port of the SMTP server. Defaults to 465 for ssl (and for a null `smtp_protocol`), 587 for starttls and 25 for plain. 465 and 2465 speak TLS from the first byte (ssl); 25, 587 and 2587 start plain (starttls or plain)"

  validation {
    condition     = var.smtp_port == null || try(var.smtp_port >= 1 && var.smtp_port <= 65535 && floor(var.smtp_port) == var.smtp_port, false)
    error_message = "smtp_port must be a port number from 1 to 65535, or null."
  }
}

variable "smtp_protocol" {
  type        = string
  default     = null
  description = "How the SMTP connection is secured. **Supported values:** ssl, starttls (the original's `tls`, also accepted) and plain. Null means ssl, as in the original module"

  validation {
    condition     = var.smtp_protocol == null || contains(["ssl", "starttls", "tls", "plain"], coalesce(var.smtp_protocol, "-"))
    error_message = "smtp_protocol must be one of ssl, starttls, tls, plain, or null."
  }
}

variable "smtp_user" {
  type        = string
  default     = null
  description = "Login for SMTP authentication. Defaults to `mail_from`"
}

variable "smtp_password" {
  type        = string
  default     = null
  sensitive   = true
  description = "Password for SMTP authentication, stored by this module in the SSM SecureString `smtp_password_parameter_name`. Leave null to create that parameter yourself, or to send without logging in when it does not exist"
}

variable "smtp_password_parameter_name" {
  type        = string
  default     = "/ikr/secret/smtp"
  description = "Name of the SSM SecureString parameter holding the SMTP password (`SMTP_PASSWORD_PARAMETER`)"

  validation {
    condition     = length(var.smtp_password_parameter_name) <= 2048 && can(regex("^[A-Za-z0-9_./-]+$", var.smtp_password_parameter_name)) && !startswith(var.smtp_password_parameter_name, "/ikr/secret/iam/")
    error_message = "smtp_password_parameter_name must be an SSM parameter name (letters, digits and _./-) outside /ikr/secret/iam/."
  }
}

variable "smtp_allow_plaintext_auth" {
  type        = bool
  default     = false
  description = "Whether the SMTP password may be sent over smtp_protocol plain, unencrypted (`SMTP_ALLOW_PLAINTEXT_AUTH`). Required with plain: the module always sets `SMTP_PASSWORD_PARAMETER`"
}

variable "mailgun_api_url" {
  type        = string
  default     = null
  description = "Mailgun API URL of the sending domain, e.g. `https://api.eu.mailgun.net/v3/mg.example.com`. **Note:** required if `mail_client` is mailgun"

  validation {
    condition     = var.mailgun_api_url == null || can(regex("^(https://[^/?#@\\s]+|http://(localhost|127\\.[0-9]+\\.[0-9]+\\.[0-9]+|\\[::1\\])(:[0-9]+)?)(/[^?#\\s]*)?$", var.mailgun_api_url))
    error_message = "mailgun_api_url must be an https URL without query, e.g. https://api.eu.mailgun.net/v3/mg.example.com (http only for a loopback host)."
  }
}

variable "mailgun_api_key" {
  type        = string
  default     = null
  sensitive   = true
  description = "Mailgun API key, stored by this module in the SSM SecureString `mailgun_api_key_parameter_name`. Leave null to create that parameter yourself"
}

variable "mailgun_api_key_parameter_name" {
  type        = string
  default     = "/ikr/secret/mailgun"
  description = "Name of the SSM SecureString parameter holding the Mailgun API key (`MAILGUN_API_KEY_NAME`)"

  validation {
    condition     = length(var.mailgun_api_key_parameter_name) <= 2048 && can(regex("^[A-Za-z0-9_./-]+$", var.mailgun_api_key_parameter_name)) && !startswith(var.mailgun_api_key_parameter_name, "/ikr/secret/iam/")
    error_message = "mailgun_api_key_parameter_name must be an SSM parameter name (letters, digits and _./-) outside /ikr/secret/iam/."
  }
}

variable "mailer_secret_kms_key_arn" {
  type        = string
  default     = null
  description = "ARN of a customer managed KMS key that encrypts the mailer's SSM SecureString (the SMTP password or Mailgun API key). Null means the AWS managed `aws/ssm` key, which needs no IAM grant; when set, the module encrypts the parameters it creates with it and lets both functions decrypt with it"

  # IAM policies name a KMS key by its key ARN only (no key id, alias name or alias ARN).
  validation {
    condition     = var.mailer_secret_kms_key_arn == null || !strcontains(coalesce(var.mailer_secret_kms_key_arn, "-"), "alias/")
    error_message = "mailer_secret_kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: the functions' IAM grant names the key ARN, and IAM does not honour aliases. Look the key ARN up with aws kms describe-key --key-id <alias>."
  }

  validation {
    condition     = var.mailer_secret_kms_key_arn == null || strcontains(coalesce(var.mailer_secret_kms_key_arn, "-"), "alias/") || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$", coalesce(var.mailer_secret_kms_key_arn, "-")))
    error_message = "mailer_secret_kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null."
  }
}

variable "secret_kms_key_arn" {
  type        = string
  default     = null
  description = "ARN of a customer managed KMS key that encrypts the per-user SecureStrings /ikr/secret/iam/<user> (SECRET_KMS_KEY_ID). Null means the AWS managed `aws/ssm` key, which every principal of the account may use to decrypt. When set, the rotator gets kms:Encrypt on it; grant kms:Decrypt to the users who decrypt their mails"
}

# ---------------------------------------------------------------------------------------------------
# Delivery targets (IKR:DELIVER_TO): each kind is off unless set, and the rotator is granted exactly these.
# These and secret_kms_key_arn are checked by modules/key-access-policy, which grants them here and in the
# member role of each account of an organization (modules/member-role): one set of rules for both.
# ---------------------------------------------------------------------------------------------------

variable "delivery_secret_prefix" {
  type        = string
  default     = null
  description = "`DELIVERY_SECRET_PREFIX`: users may have their new key delivered to Secrets Manager secrets whose name starts with this (e.g. `ikr/`); the rotator gets secretsmanager:CreateSecret, PutSecretValue and DescribeSecret on `secret:<prefix>*`. Null: no `secretsmanager:` target"
}

variable "delivery_parameter_prefix" {
  type        = string
  default     = null
  description = "`DELIVERY_PARAMETER_PREFIX`: users may have their new key delivered to SSM SecureStrings whose name starts with this (e.g. `/ikr/keys/`); the rotator gets ssm:PutParameter on `parameter<prefix>*` (and kms:Encrypt on `secret_kms_key_arn` when set). Null: no `ssm:` target"
}

variable "delivery_functions" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "`DELIVERY_FUNCTIONS`: the Lambda functions (names, in the module's account and region) users may have their new key delivered to; the rotator gets lambda:InvokeFunction on exactly these. Empty: no `lambda:` target"
}

# ---------------------------------------------------------------------------------------------------
# Accounts: one deployment (the hub) for many accounts of an AWS Organization (accounts.tf)
# ---------------------------------------------------------------------------------------------------

variable "accounts" {
  type        = string
  default     = "self"
  nullable    = false
  description = "`ACCOUNTS`: whose keys IKR rotates. `self` (the default): this account only, no role assumed. Otherwise the hub mode: comma-separated 12-digit account ids, `organization` (every ACTIVE account of the organization) or `organization:<ou-id>,<ou-id>` (the ACTIVE accounts of these OUs and their OUs below); the schedule then sends one message per account to a queue, and the account worker rotates each account through its `member_role_name` role"

  # The forms the functions accept (AccountSelection); OU ids as Organizations documents them.
  validation {
    condition     = can(regex("^(self|organization|organization:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}(,ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})*|[0-9]{12}(,[0-9]{12})*)$", var.accounts))
    error_message = "accounts must be self, organization, organization:<ou-id>[,<ou-id>...] with OU ids such as ou-ab12-cd34ef56, or comma-separated 12-digit account ids, without spaces."
  }

  validation {
    condition     = length(distinct(split(",", var.accounts))) == length(split(",", var.accounts))
    error_message = "accounts names an account or OU twice."
  }

  # Each listed account is a role ARN in both roles' inline policies (IAM: 10,240 characters per role) and an
  # id in ACCOUNTS (Lambda: 4 KB of environment variables per function).
  validation {
    condition     = length(split(",", var.accounts)) <= 100
    error_message = "accounts lists more than 100 accounts: IAM limits a role's inline policies to 10,240 characters and Lambda a function's environment to 4 KB. Select them by organization or OU instead."
  }
}

variable "member_role_name" {
  type        = string
  default     = "ikr-member"
  nullable    = false
  description = "`MEMBER_ROLE_NAME`: the role (modules/member-role) the rotator, the account worker and the destructor assume in each account but with `accounts = \"self\"`"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.member_role_name))
    error_message = "member_role_name must be an IAM role name: 1 to 64 characters, letters, digits and +=,.@_- (no path)."
  }
}

variable "member_external_id" {
  type        = string
  default     = null
  description = "`MEMBER_EXTERNAL_ID`: the external id the functions give when they assume the member role, and that its trust policy requires. Null: none. Not a secret (AWS shows it to anyone who can read the role), so not marked sensitive"

  validation {
    condition     = var.member_external_id == null || try(length(var.member_external_id) >= 2 && length(var.member_external_id) <= 1224 && can(regex("^[A-Za-z0-9_+=,.@:/-]+$", var.member_external_id)), false)
    error_message = "member_external_id must be 2 to 1224 characters: letters, digits and _+=,.@:/- (as STS AssumeRole accepts), or null."
  }
}

variable "max_account_concurrency" {
  type        = number
  default     = 5
  nullable    = false
  description = "How many accounts the account worker rotates at once: the `maximum_concurrency` of its queue's event source mapping (2 to 1000). Each account also keeps its own `max_concurrency`, so IAM's per-account rate limits hold"

  validation {
    condition     = var.max_account_concurrency >= 2 && var.max_account_concurrency <= 1000 && floor(var.max_account_concurrency) == var.max_account_concurrency
    error_message = "max_account_concurrency must be a whole number from 2 to 1000, the maximum_concurrency Lambda accepts for an SQS event source."
  }
}

variable "account_max_receive_count" {
  type        = number
  default     = 5
  nullable    = false
  description = "How often an account's message is received (a failed account run each time) before SQS moves it to the dead-letter queue (`maxReceiveCount`, 1 to 1000; AWS recommends at least 5 for a Lambda event source)"

  validation {
    condition     = var.account_max_receive_count >= 1 && var.account_max_receive_count <= 1000 && floor(var.account_max_receive_count) == var.account_max_receive_count
    error_message = "account_max_receive_count must be a whole number from 1 to 1000, the maxReceiveCount SQS accepts."
  }
}

variable "account_worker_function_name" {
  type        = string
  default     = "iam-key-account-worker"
  nullable    = false
  description = "Name of the Lambda function that rotates one account per message of the accounts queue (only with `accounts` other than `self`); it runs the rotator's jar with the rotator's role"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.account_worker_function_name))
    error_message = "account_worker_function_name must be 1 to 64 characters: letters, digits, '_' and '-'."
  }
}

# ---------------------------------------------------------------------------------------------------
# Metrics and alarms
# ---------------------------------------------------------------------------------------------------

variable "metrics_namespace" {
  type        = string
  default     = "IKR"
  nullable    = false
  description = "`METRICS_NAMESPACE`: the CloudWatch namespace both functions write their metrics to (embedded metric format, dimension `FunctionName`), and the one the alarms watch"

  # The rule the functions check at cold start (MetricNamespace), as CloudWatch documents a namespace.
  validation {
    condition     = can(regex("^[A-Za-z0-9 ._/#:-]{1,255}$", var.metrics_namespace)) && trimspace(var.metrics_namespace) != "" && !startswith(var.metrics_namespace, ":") && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be a CloudWatch namespace: 1 to 255 letters, digits, spaces and . - _ / # :, not only spaces, not starting with ':' or 'AWS/' (reserved for AWS)."
  }
}

variable "create_alarms" {
  type        = bool
  default     = true
  nullable    = false
  description = "Whether to create the CloudWatch alarms on a failed user or record, an item that needs a person, a message in the destructor's on-failure queue, a rotator error and a rotator that did not run, and with `accounts` other than `self` on the account worker and the accounts' dead-letter queue (see the README's Metrics and alarms)"
}

variable "alarm_topic_arn" {
  type        = string
  default     = null
  description = "ARN of an existing SNS topic the alarms notify. Null: a topic this module creates for `alarm_email`, or, without `alarm_email` either, alarms without actions (visible in the console only)"

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", coalesce(var.alarm_topic_arn, "-")))
    error_message = "alarm_topic_arn must be the ARN of a standard SNS topic (arn:aws:sns:<region>:<account>:<topic name>), or null."
  }
}

variable "alarm_email" {
  type        = string
  default     = null
  description = "Address subscribed to a topic this module creates (`<key_creator_function_name>-alarms`) when `alarm_topic_arn` is null; SNS mails it a confirmation link first. Ignored when `alarm_topic_arn` is set"

  validation {
    condition     = var.alarm_email == null || (length(coalesce(var.alarm_email, "-")) <= 254 && can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", coalesce(var.alarm_email, "-"))))
    error_message = "alarm_email must be a plain mail address such as ops@example.com, or null."
  }
}

variable "rotator_missed_run_alarm_hours" {
  type        = number
  default     = 26
  nullable    = false
  description = "Hours without a rotator invocation after which its missed-run alarm fires. The default suits a daily `cron_expression`; keep it above your schedule's longest gap. At most 168: CloudWatch evaluates at most 7 days of hourly periods"

  validation {
    condition     = var.rotator_missed_run_alarm_hours >= 2 && var.rotator_missed_run_alarm_hours <= 168 && floor(var.rotator_missed_run_alarm_hours) == var.rotator_missed_run_alarm_hours
    error_message = "rotator_missed_run_alarm_hours must be a whole number of hours from 2 to 168 (CloudWatch evaluates at most 7 days)."
  }
}

# ---------------------------------------------------------------------------------------------------
# Record sealing and who may write the table (kms.tf, table_policy.tf)
# ---------------------------------------------------------------------------------------------------

variable "record_kms_key_arn" {
  type        = string
  default     = null
  description = "`RECORD_KMS_KEY_ID`: ARN of a symmetric KMS key of your own whose data key seals the table's items. Null: the module creates the key (alias `alias/ikr-records`) with a key policy that lets only the two functions use it. Your own key's policy must let both roles call kms:GenerateDataKey and kms:Decrypt with the encryption context `purpose = ikr-record-mac`"

  # The functions compare the key KMS names in its answers with this ARN, and IAM grants name the key ARN.
  validation {
    condition     = var.record_kms_key_arn == null || !strcontains(coalesce(var.record_kms_key_arn, "-"), "alias/")
    error_message = "record_kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias: the functions check that KMS names this very key in its answers, and IAM grants do not honour aliases. Look the key ARN up with aws kms describe-key --key-id <alias>."
  }

  validation {
    condition     = var.record_kms_key_arn == null || strcontains(coalesce(var.record_kms_key_arn, "-"), "alias/") || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$", coalesce(var.record_kms_key_arn, "-")))
    error_message = "record_kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null for a key the module creates."
  }
}

variable "record_kms_key_deletion_window_in_days" {
  type        = number
  default     = 30
  nullable    = false
  description = "Days KMS waits before it deletes the record key the module created, once it is scheduled for deletion (`terraform destroy`). Items sealed under a deleted key can never be verified again"

  validation {
    condition     = var.record_kms_key_deletion_window_in_days >= 7 && var.record_kms_key_deletion_window_in_days <= 30 && floor(var.record_kms_key_deletion_window_in_days) == var.record_kms_key_deletion_window_in_days
    error_message = "record_kms_key_deletion_window_in_days must be a whole number of days from 7 to 30, as KMS requires."
  }
}

variable "key_admin_principal_arns" {
  type        = list(string)
  default     = null
  description = "Who administers the record key the module creates (describe, key policy, rotation, tags, alias, enable/disable, deletion), never using it: IAM role or user ARNs, or an account's root ARN. Null: the account (`arn:aws:iam::<account>:root`), which lets the account's IAM policies grant the administration. Include the principal that runs Terraform: KMS refuses a key policy that would lock its caller out"

  validation {
    condition = var.key_admin_principal_arns == null || try(length(var.key_admin_principal_arns) > 0 && alltrue([for arn in var.key_admin_principal_arns :
    can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|(role|user)/[A-Za-z0-9+=,.@_/-]+)$", arn))]), false)
    error_message = "key_admin_principal_arns must list IAM ARNs such as arn:aws:iam::123456789012:role/ikr-admin (a role, a user or an account's root; no wildcards), at least one, or be null for the account."
  }
}

variable "admin_email" {
  type        = string
  default     = null
  description = "`ADMIN_EMAIL`: the address mailed about table items IKR refused to act on (unsealed or changed items). Null: nobody is mailed; the functions still log them"

  validation {
    # The shape the functions check at cold start (EmailAddress), as for mail_from.
    condition     = var.admin_email == null || try(length(var.admin_email) <= 254 && can(regex("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", var.admin_email)), false)
    error_message = "admin_email must be a plain mail address such as ikr-admins@example.com: at most 254 ASCII characters, no display name, spaces or <>, and a domain with a dot; or null."
  }
}

variable "table_admin_principal_arns" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "IAM roles or users (ARNs; `*` and `?` allowed in the name) who may delete items from the table, to cancel a deletion. Every principal other than these and IKR's two roles is denied writing and deleting items by the table's resource policy"

  validation {
    condition = alltrue([for arn in var.table_admin_principal_arns :
    can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/*?-]+$", arn))])
    error_message = "table_admin_principal_arns must hold IAM role or user ARNs such as arn:aws:iam::123456789012:role/ikr-operator (the role's ARN, not an assumed-role session ARN arn:aws:sts::...:assumed-role/...)."
  }
}

variable "create_table_resource_policy" {
  type        = bool
  default     = true
  nullable    = false
  description = "Whether to attach the resource-based policy that lets only IKR's roles (and `table_admin_principal_arns`, for deletes) write the table's items. Turn it off only to attach a policy of your own (a table has one): merge the statements of the output `table_resource_policy_json` into it"
}
