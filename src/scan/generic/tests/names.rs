//! Names and syntax: what is a literal assignment of a secret, and what is a
//! reference, an identifier, a flag or a name about the secret.

use super::*;

#[test]
fn code_expressions_are_not_literals() {
    use FileKind::*;
    assert!(!reported(
        "\tKey:     supplierKey,",
        "Key",
        "supplierKey",
        Code
    ));
    assert!(!reported(
        "\tpassword := c.PostForm(\"password\")",
        "password",
        "c.PostForm(",
        Code
    ));
    assert!(!reported(
        "EnvPassword = envNamespace + \"PASSWORD\"",
        "EnvPassword",
        "envNamespace",
        Other
    ));
    assert!(!reported(
        "APIKey:   c.apiKey,",
        "APIKey",
        "c.apiKey",
        Other
    ));
    assert!(!reported(
        "password: proxyPass);",
        "password",
        "proxyPass",
        Other
    ));
    assert!(!reported(
        "$token = json_decode($token, true);",
        "token",
        "json_decode(",
        Code
    ));
    assert!(!reported(
        "password: mqttConfig?.password,",
        "password",
        "mqttConfig",
        Other
    ));
}

#[test]
fn names_about_the_secret_are_not_the_secret() {
    use FileKind::*;
    assert!(!reported(
        r#""key_id": "5d765f32-bfdc-4610-b6ab-f82db5d0601b","#,
        "key_id",
        "5d765f32",
        Config
    ));
    assert!(!reported(
        "OS_APPLICATION_CREDENTIAL_ID=imn74uq0or7dyzz20dwo1ytls4me8dry",
        "OS_",
        "imn74uq0or7dyzz20dwo1ytls4me8dry",
        Config
    ));
    assert!(!reported(
        "root_password_sha2 = 8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918",
        "root_password_sha2",
        "8c6976e5",
        Config
    ));
    assert!(!reported(
        "GRAYLOG_SHA256_PASSWORD=b1cb6e31e172577918c9e7806c572b5ed8477d3f57aa737bee4b5b1db3696f09",
        "GRAYLOG",
        "b1cb6e31",
        Config
    ));
    assert!(!reported(
        r#"public_key = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCitD16CypwZILTpdJL""#,
        "public_key",
        "MIGf",
        Code
    ));
    assert!(!reported(
        r#"csrf_token = "q8Zr2LmX9vTb4KpW7nYc""#,
        "csrf_token",
        "q8Zr",
        Code
    ));
    assert!(!reported(
        r#"author = "q8Zr2LmX9vTb4KpW7nYc""#,
        "author",
        "q8Zr",
        Code
    ));
}

#[test]
fn references_are_not_secrets() {
    use FileKind::*;
    assert!(!reported("API_KEY=$API_KEY", "API_KEY", "$API_KEY", Config));
    assert!(!reported(
        r#"token: "%(token)s""#,
        "token",
        "%(token)s",
        Config
    ));
    assert!(!reported(
        "secret: {SECRET_VALUE}",
        "secret",
        "{SECRET_VALUE}",
        Config
    ));
    assert!(!reported(
        "password: password",
        "password",
        "password",
        Config
    ));
}

#[test]
fn trailing_punctuation_is_trimmed() {
    let line = "the token q8Zr2LmX9vTb4KpW7nYc.";
    let start = line.find("token").unwrap();
    let at = line.find("q8Zr").unwrap();
    let c = Candidate {
        line: line.as_bytes(),
        start,
        value: at..line.len(),
        file: FileKind::Other,
    };
    assert_eq!(judge(&c, &GenericPolicy::default()), Ok(line.len() - 1));
}

#[test]
fn labels_followed_by_blanks_need_a_generated_value() {
    use FileKind::*;
    let v = "y7sbilkqxym49dra8fpzc7wbdke3qvlht8mg5tnj6os5yjfn";
    assert!(reported(
        &format!("clockify SECRET {v}"),
        "SECRET",
        v,
        Other
    ));
    assert!(!reported(
        "the token expiresimmediatelyafter",
        "token",
        "expiresimmediatelyafter",
        Other
    ));
    assert!(!reported("KEY a1b2c3", "KEY", "a1b2c3", Other));
    // An operator or a quote makes it an assignment, judged as such.
    assert!(reported(
        "SECRET = nsdrdrfdyq",
        "SECRET",
        "nsdrdrfdyq",
        Other
    ));
}

#[test]
fn identifiers_of_words_and_query_strings() {
    use FileKind::*;
    assert!(!reported(
        r#""key": "contributor_covenant","#,
        "key",
        "contributor_covenant",
        Config
    ));
    assert!(reported(
        r#"nextcloud_sql_password: "nextcloud-craq""#,
        "nextcloud_sql_password",
        "nextcloud-craq",
        Config
    ));
    assert!(!reported(r#""key":"lgpl-3.0","#, "key", "lgpl-3.0", Config));
    assert!(!reported(
        r#""access_token": "eyJaccess","#,
        "access_token",
        "eyJaccess",
        Config
    ));
    // The query string ends the value before the template that follows it.
    let line =
        r#"writer.write("version=1.2&auth_user=fdgxf&auth_pwd=dtfftdmo&json_data={ \"op\": 1 }");"#;
    assert_eq!(
        judged(line, "auth_pwd", "dtfftdmo&json_data=", Code),
        Ok(line.find("&json").unwrap())
    );
    // Short Basic credentials are fine, short bearer tokens are not.
    assert!(reported(
        "'Proxy-Authorization': 'Basic bZUlqupqQBNv',",
        "Basic",
        "bZUlqupqQBNv",
        Code
    ));
    assert!(!reported(
        "Authorization: Bearer ya29.ugdxI9ZGu2",
        "Bearer",
        "ya29.ugdxI9ZGu2",
        Other
    ));
}

#[test]
fn names_that_are_not_assignments_of_a_secret() {
    use FileKind::*;
    // The name decides for an assignment; words in the expression do not.
    assert!(!reported(
        r#"method_authorizer = auth.get("Authorizer")"#,
        "method_authorizer",
        "Authorizer",
        Code
    ));
    // A resource type, not a key.
    assert!(!reported(
        r#""AWS::ApiGateway::ApiKey": "48205d4ffd7feba3","#,
        "ApiKey",
        "48205d4ffd7feba3",
        Config
    ));
    // Identifiers of words, including kebab-case ones naming a secret.
    assert!(!reported(
        r#"dest_key='EmrManagedSlaveSecurityGroup',"#,
        "dest_key",
        "EmrManagedSlaveSecurityGroup",
        Code
    ));
    assert!(!reported(
        r#"x = get_prop("sam-property-api-lambdatokenauthorizer")"#,
        "x",
        "sam-property",
        Code
    ));
    // A Rust path and a CSS selector.
    let doc = "/// [`Message::ScmCredentials`]: crate::net::SendAncillaryMessage::ScmCredentials";
    assert!(!reported(
        doc,
        "ScmCredentials",
        "crate::net::SendAncillaryMessage::ScmCredentials",
        Code
    ));
    assert!(!reported(
        r#"a.struct[title="struct syn::token::CaretEq"],"#,
        "token",
        ":CaretEq",
        Other
    ));
}

#[test]
fn flags_arns_and_mapping_keys() {
    use FileKind::*;
    assert!(!reported(
        "HIVE_SITE_KEY = '--hive-site'",
        "HIVE_SITE_KEY",
        "--hive-site",
        Code
    ));
    let arn = "arn:aws-eusc:iam::aws:policy/ReadOnlyAccess";
    assert!(!reported(
        &format!(r#""secret": "{arn}","#),
        "secret",
        arn,
        Config
    ));
    assert!(!reported(
        r#""secretsmanager:resource/AllowRotationLambdaArn": {"#,
        "secretsmanager",
        "resource/AllowRotationLambdaArn",
        Config
    ));
    // A condition ending in `:` (Python) is not a mapping key.
    assert!(reported(
        "if user == \"jojoba\" and password == \"team10\":",
        "password",
        "team10",
        Other
    ));
    // A Ruby symbol key with a hash rocket is still an assignment.
    assert!(reported(
        ":password => '4ian1234x',",
        "password",
        "4ian1234x",
        Code
    ));
}

#[test]
fn a_quoted_value_ends_at_its_own_quote() {
    let line = r#"  string: '{"access_token":"qts-access","token_type":"bearer"}'"#;
    assert!(!reported(
        line,
        "access_token",
        r#"qts-access","token_type":"bearer"#,
        FileKind::Config
    ));
    // Other quote characters inside are part of a generated secret.
    let (line, value) = fill(
        r#"  jwtsecret: "{}""#,
        &[r#"7`D'}/vYR)T;W\5]EBrf;_&k>"#, "qX??]G&3CF=;@vyrVBp"],
    );
    assert!(reported(&line, "jwtsecret", &value, FileKind::Config));
}

#[test]
fn a_bare_key_naming_an_entry() {
    let (line, value) = fill(
        r#"UPDATE `store_base_config` SET `value` = 'x' WHERE `key` = "{}";"#,
        &["mutil", "_lang"],
    );
    assert!(!reported(&line, "key`", &value, FileKind::Code));
    assert!(lowercase_words_joined(b"user-settings"));
    assert!(!lowercase_words_joined(b"laradock_hgkh3zbpiry"));
    assert!(!lowercase_words_joined(b"abcdefgh"));
    // Under a name that says what the key opens, the same shape is judged as a key.
    let (line, value) = fill(r#"api_key = "{}""#, &["laradock_", "hgkhzbpiry"]);
    assert!(reported(&line, "api_key", &value, FileKind::Code));
}

#[test]
fn jwk_private_member_after_public_ones() {
    let d = ["47Iw2GXvj-hpfgGsfF3F2", "mekHKaDc2qv7WTqtAkU1H0"].concat();
    let line = format!("crv: 'secp256k1', x: 'WsY3Cti12AIuzg', d: '{d}'");
    assert!(reported(&line, "crv", &d, FileKind::Code));
    // Judged as a key body: a run of one letter is not one.
    let line = "n: 'AQAB', d: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'";
    assert!(!reported(
        line,
        "n",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        FileKind::Code
    ));
}

#[test]
fn references_identifiers_and_versions_in_their_places() {
    use FileKind::*;
    let random = "Zq8Lm2Xv9TbK4pWn7Yc3Rs";
    for (line, name, value, file) in [
        (
            "  agent_auth = var.agent_auth",
            "agent_auth",
            "var.agent_auth",
            Config,
        ),
        (
            "  password = local.db_password",
            "password",
            "local.db_password",
            Config,
        ),
        (
            "  token = module.vault.token",
            "token",
            "module.vault.token",
            Config,
        ),
        (
            "  MasterUserPassword: !Ref DbPass",
            "MasterUserPassword",
            "!Ref",
            Config,
        ),
        ("mypwd: 3.0-", "mypwd", "3.0-", Other),
        ("mypwd: 3.0-3.12", "mypwd", "3.0-3.12", Other),
        (
            "token: OAuthTokenSchema",
            "token",
            "OAuthTokenSchema",
            Config,
        ),
        (
            r#"MARK_KEY = "__marker_v3""#,
            "MARK_KEY",
            "__marker_v3",
            Code,
        ),
        (
            r#"AUTH_BACKEND = "app.auth.backends""#,
            "AUTH_BACKEND",
            "app.auth.backends",
            Code,
        ),
    ] {
        assert!(!reported(line, name, value, file), "{line}");
        let real = line.replace(value, random);
        assert!(reported(&real, name, random, file), "{real}");
    }
}

#[test]
fn a_bare_key_name_needs_a_credential_looking_value() {
    use FileKind::*;
    for (line, name, value) in [
        (r#"  keys: ["queue-watcher"]"#, "keys", "queue-watcher"),
        (
            r#"_RANKING_KEY = "backend_priority""#,
            "_RANKING_KEY",
            "backend_priority",
        ),
        (r#"key: EventStreamDelta"#, "key", "EventStreamDelta"),
    ] {
        assert!(!reported(line, name, value, Config), "{line}");
    }
    // The same names with random values, and qualified names with words
    // (assembled, so this file holds no literal value that looks random).
    let dashed = ["hzqw", "mxvr", "tbkp"].join("-");
    let line = format!(r#"  keys: ["{dashed}"]"#);
    assert!(reported(&line, "keys", &dashed, Config));
    let letters = ["kxqv", "bnrtzw"].concat();
    let line = format!(r#"_RANKING_KEY = "{letters}""#);
    assert!(reported(&line, "_RANKING_KEY", &letters, Config));
    let mixed = ["qzvx", "backend", "rtkw9"].join("-");
    let line = format!(r#"API_KEY = "{mixed}""#);
    assert!(reported(&line, "API_KEY", &mixed, Config));
}

#[test]
fn a_quoted_name_then_a_value_is_a_pair_only_as_call_arguments() {
    use FileKind::*;
    let random = ["Zq8Lm2Xv9", "TbK4pWn7Yc3Rs"].concat();
    let call = format!(r#"    os.Setenv("API_TOKEN", "{random}")"#);
    assert!(reported(&call, "API_TOKEN", &random, Code));
    let list = format!(r#"    names = ["API_TOKEN", "{random}"]"#);
    assert!(!reported(&list, "API_TOKEN", &random, Code));
    let reference = r#"    os.Setenv("API_TOKEN", os.Getenv("CI"))"#;
    assert!(!reported(reference, "API_TOKEN", "os.Getenv", Code));
}

#[test]
fn a_match_inside_an_escape_sequence_is_not_a_value() {
    let line = r#"parse_qs("key=\u0141%E9", encoding="latin-1")"#;
    let escaped = "u0141%E9";
    assert_eq!(
        judged(line, "key", escaped, FileKind::Code),
        Err("an escape sequence, not a value")
    );
}

/// Each line holds a value that is not a secret under its name; the same
/// name (or the same kind of name) with a random value is still reported.
#[test]
fn paths_oids_mechanisms_labels_and_data_files_are_not_secrets() {
    use FileKind::*;
    let v = ["Zq8Lm2", "Xv9TbK", "4pWn7Yc3"].concat();
    let pass: &[(&str, &str, &str, FileKind)] = &[
        (
            r#""alias/aws/secretsmanager": "{}","#,
            "secretsmanager",
            "{}",
            Config,
        ),
        (
            r#"AuthorityInformationAccessOID.CA_ISSUERS: "{}","#,
            "AuthorityInformationAccessOID",
            "{}",
            Code,
        ),
        (
            r#"    assert 'AUTH=CRAM-MD5' in caps"#,
            "AUTH",
            "CRAM-MD5",
            Code,
        ),
        (
            r#""S3Key": "RHEL7export-i-ab12cd34.ova","#,
            "S3Key",
            "RHEL7",
            Config,
        ),
        (r#""keyValue": "Fulton-B17","#, "keyValue", "Fulton", Config),
    ];
    for (line, name, value, file) in pass {
        let line = line.replace("{}", &v);
        let value = value.replace("{}", &v);
        assert!(!reported(&line, name, &value, *file), "{line}");
    }
    let block: &[(&str, &str, FileKind)] = &[
        (r#""/prod/db/password": "{}","#, "password", Config),
        (
            r#"AuthorityInformationAccess: "{}","#,
            "AuthorityInformationAccess",
            Code,
        ),
        (r#"    assert 'AUTH={}' in caps"#, "AUTH", Code),
        (r#""S3Key": "{}","#, "S3Key", Config),
        (r#""keyValue": "{}","#, "keyValue", Config),
    ];
    for (line, name, file) in block {
        let line = line.replace("{}", &v);
        assert!(reported(&line, name, &v, *file), "{line}");
    }
}

/// Strings that are code: a format template, the name a getter looks up, a
/// call written as a string. The same string as a plain literal, or as a
/// getter's default, is still reported.
#[test]
fn templates_lookup_names_and_calls_are_code() {
    use FileKind::*;
    let v = ["Zq8Lm2", "Xv9TbK", "4pWn7Yc3"].concat();
    let code = |line: &str, name: &str, value: &str| {
        let line = line.replace("{}", &v);
        let value = value.replace("{}", &v);
        reported(&line, name, &value, Code)
    };
    assert!(!code(
        r#"signing_key = "{}%s" % version"#,
        "signing_key",
        "{}%s"
    ));
    assert!(!code(r#"token = "{}-{0}".format(n)"#, "token", "{}-{0}"));
    assert!(!code("    auth = self._get_param('{}')", "auth", "{}"));
    assert!(!code(r#"api_key = get_secret("{}")"#, "api_key", "{}"));
    assert!(!code(r#"key=attrgetter("{}")"#, "key", "{}"));
    assert!(!code(r#"password = "run_all()""#, "password", "run_all()"));

    assert!(code(r#"signing_key = "{}""#, "signing_key", "{}"));
    assert!(code("    auth = make_client('{}')", "auth", "{}"));
    assert!(code(
        r#"api_key = os.getenv("API_KEY", "{}")"#,
        "api_key",
        "{}"
    ));
    assert!(code(r#"password = "{}()x""#, "password", "{}()x"));
}

/// A line of a thousand quoted names, read around the candidate with its
/// opening bracket out of sight, is a list; a call's name and value after
/// one string is not.
#[test]
fn items_of_a_long_list_seen_in_part() {
    use FileKind::*;
    let v = ["Zq8Lm2", "Xv9TbK", "4pWn7Yc3"].concat();
    let list = format!("kWorkout', 'HKQuantity', 'HMAction', 'HMAccessControl', '{v}', 'HMZone',");
    assert!(!reported(&list, "HMAccessControl", &v, Code));
    let call = format!("resValue('string', 'HMAccessControl', '{v}')");
    assert!(reported(&call, "HMAccessControl", &v, Code));
}

/// The handle words make a token a handle and the path words make a key an
/// object's path, and nothing else: before a password or a secret they are
/// ordinary qualifiers (`S3_SECRET` is the bucket's secret access key).
#[test]
fn handle_and_path_words_qualify_only_their_own_secret_word() {
    let v = ["Zq8Lm2", "Xv9TbK", "4pWn7Yc3"].concat();
    for name in ["lock_token", "cursor_token", "s3_key", "object_key"] {
        let line = format!("{name} = \"{v}\"");
        assert!(!reported(&line, name, &v, FileKind::Code), "{line}");
    }
    for name in [
        "S3_SECRET",
        "s3_password",
        "lock_password",
        "change_password",
        "request_secret",
        "object_secret",
    ] {
        let line = format!("{name} = \"{v}\"");
        assert!(reported(&line, name, &v, FileKind::Code), "{line}");
    }
}
