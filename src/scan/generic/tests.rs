use super::*;

/// Judges `value` in `line`, the match starting at `name`.
fn judged(line: &str, name: &str, value: &str, file: FileKind) -> Result<usize, &'static str> {
    let start = line.find(name).expect("name in line");
    let at = start + line[start..].find(value).expect("value in line");
    let c = Candidate {
        line: line.as_bytes(),
        start,
        value: at..at + value.len(),
        file,
    };
    judge(&c, &GenericPolicy::default())
}

fn reported(line: &str, name: &str, value: &str, file: FileKind) -> bool {
    judged(line, name, value, file).is_ok()
}

#[test]
fn random_literals_are_reported() {
    use FileKind::*;
    assert!(reported(
        r#"API_KEY=q8Zr2LmX9vTb4KpW"#,
        "API_KEY",
        "q8Zr2LmX9vTb4KpW",
        Config
    ));
    assert!(reported(
        r#"  password: "ofrjvevtwqno","#,
        "password",
        "ofrjvevtwqno",
        Code
    ));
    assert!(reported(
        "MYSQL_PASSWORD: ucsk",
        "MYSQL_PASSWORD",
        "ucsk",
        Config
    ));
    assert!(reported(
        r#"const KEY = '9485f5f37269f88348bc209bf4a0975d';"#,
        "KEY",
        "9485f5f37269f88348bc209bf4a0975d",
        Code
    ));
    assert!(reported(
        "GANDI_API_KEY=cfthjzuaxwlfypadjmfqqqlg \\",
        "GANDI_API_KEY",
        "cfthjzuaxwlfypadjmfqqqlg",
        Other
    ));
    assert!(reported(
        r#"Token: String("LLBF4QQXCW2G4OQWNPHF4EN2XUCK4"),"#,
        "Token",
        "LLBF4QQXCW2G4OQWNPHF4EN2XUCK4",
        Code
    ));
    assert!(reported(
        r#"password = Some("lpeeeq"),"#,
        "password",
        "lpeeeq",
        Code
    ));
}

#[test]
fn chosen_passwords_may_mix_words_and_digits() {
    use FileKind::*;
    assert!(reported(
        r#"password = "secret123""#,
        "password",
        "secret123",
        Code
    ));
    assert!(!reported(
        r#"password = "topsecret""#,
        "password",
        "topsecret",
        Code
    ));
    assert!(!reported(
        r#"password = "admin123""#,
        "password",
        "admin123",
        Code
    ));
    // A key or token made of words and a short number is an identifier.
    assert!(!reported(
        r#"token = "LET_ME_IN-1""#,
        "token",
        "LET_ME_IN-1",
        Code
    ));
}

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
fn words_identifiers_and_phrases_are_not_secrets() {
    use FileKind::*;
    for (line, name, value) in [
        (r#"Key:     "tfstate","#, "Key", "tfstate"),
        (
            r#"hash_key = "TestTableHashKey""#,
            "hash_key",
            "TestTableHashKey",
        ),
        (
            r#"const tokenResponseJson = "ThisIsBadJSON";"#,
            "tokenResponseJson",
            "ThisIsBadJSON",
        ),
        (r#"const key = "LEGO_ENV_TC""#, "key", "LEGO_ENV_TC"),
        (
            r#"ARVANCLOUD_API_KEY = "API key""#,
            "ARVANCLOUD_API_KEY",
            "API",
        ),
        ("POSTGRES_PASSWORD=secret", "POSTGRES_PASSWORD", "secret"),
    ] {
        assert!(!reported(line, name, value, Code), "{line}");
    }
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
fn shapes_of_other_things_are_not_secrets() {
    use FileKind::*;
    for value in [
        "https://example.com/callback",
        "ops@example.com",
        "sha512-Zm9vYmFyYmF6cXV4",
        "./certs/server.key",
        "^0.4.1",
        "ZHVtbXkgdGV4dCBkYXRhIGRhdGEgZGF0YQ==",
        "20003",
        "0x4f",
    ] {
        let line = format!("api_key = {value}");
        assert!(!reported(&line, "api_key", value, Config), "{value}");
    }
    // A vendor prefix followed by words is a stand-in.
    assert!(!reported(
        "DOCKERHUB_TOKEN=dckr_pat_tooshort",
        "DOCKERHUB_TOKEN",
        "dckr_pat_tooshort",
        Config
    ));
    assert!(reported(
        "AUTH_KEY=arachnys-zdjqas",
        "AUTH_KEY",
        "arachnys-zdjqas",
        Config
    ));
    // A literal prefix running into a template slot is a template.
    assert!(!reported(
        "API_KEY=lsv2_sk_<service-key>",
        "API_KEY",
        "lsv2_sk_",
        Config
    ));
    // The public half of a key pair.
    assert!(!reported(
        "# public key: age1qobktp3bd4ucju3xax77cz4ivp6qo7",
        "key",
        "age1qobktp3bd4ucju3xax77cz4ivp6qo7",
        Config
    ));
    // A UUID is a credential only under a name that says so.
    let uuid = "183cc1ac-d850-30d8-3bd5-5bb67ac19b4b";
    assert!(reported(
        &format!(r#""access_token":"{uuid}""#),
        "access_token",
        uuid,
        Config
    ));
    assert!(!reported(
        &format!(r#""key":"{uuid}""#),
        "key",
        uuid,
        Config
    ));
}

#[test]
fn base64_encoded_pem_is_a_key() {
    let v = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb2dJQkFBS0NBUUVBb3kxWFh1VkFRcHFI";
    assert!(reported(
        &format!("PRIVATE_KEY_B64={v}"),
        "PRIVATE_KEY_B64",
        v,
        FileKind::Config
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
fn url_passwords() {
    use FileKind::*;
    let url = |line: &str, pw: &str| reported(line, line.split("://").next().unwrap(), pw, Code);
    assert!(url(
        "postgres://miniflux:obtunuohdex@db/miniflux",
        "obtunuohdex"
    ));
    assert!(!url("https://user:pass@example.com", "pass"));
    assert!(url(
        "mysql://devuser:mySecret2024@localhost:3306/dev_db",
        "mySecret2024"
    ));
    assert!(!url(
        "mongodb://user:password@db.example.com:27017/mydb",
        "password"
    ));
    assert!(!url(
        "https://username:mypassword@test.com/endpoint",
        "mypassword"
    ));
    assert!(!url(
        "postgres://postgres:postgres@localhost:5432/db",
        "postgres"
    ));
    assert!(!url(
        "http://john.doe:password123@example.com",
        "password123"
    ));
    assert!(!url("https://user:abc@api.com/v1", "abc"));
    assert!(!url("https://user:1111@service.com/api", "1111"));
    assert!(!url("https://{USER}:{PASS}@template.example.com", "{PASS}"));
}

#[test]
fn authorization_headers() {
    use FileKind::*;
    assert!(reported(
        "- Bearer 7ba3c12f3c1984f1fd0013b3acb557e0e78fed11",
        "Bearer",
        "7ba3c12f3c1984f1fd0013b3acb557e0e78fed11",
        Config
    ));
    assert!(reported(
        r#"if auth != "Basic kT2zRF89a2YzalD4" {"#,
        "Basic",
        "kT2zRF89a2YzalD4",
        Code
    ));
    // Basic of user:password judges the password.
    assert!(reported(
        "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "Basic",
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        Other
    ));
    assert!(!reported(
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "Basic",
        "dXNlcjpwYXNzd29yZA==",
        Other
    ));
    assert!(!reported(
        "use basic authentication here",
        "basic",
        "authentication",
        Other
    ));
}

#[test]
fn pem_bodies() {
    let pem = |body: &str| {
        let text = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}");
        reported(&text, "-----BEGIN", &text, FileKind::Other)
    };
    assert!(pem(
        "MIIEvuMGSEKNVJNQsqQQbb452PO46C7aTneMc0TpaJzfU4ZhLqr0cGTcGmAQ5Ehi"
    ));
    // Base64 of the alphabet is not key material.
    assert!(!pem("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWZnaGlq"));
    // An OpenSSH container: its first line is the same for every key of a
    // type; a key needs more, and an encrypted one is not reported.
    let header = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    let more = "QyNTUxOQAAACD18L4bqUQ2b7a7NBhMgILUmr7O/PBj5XA7CnXFrYXxCXoseVkTMhh5NL/0tGyK/1e";
    assert!(pem(&format!("{header}\n{more}\n{more}")));
    assert!(!pem(header));
    assert!(!pem(
        "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD"
    ));
    let encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIEvuMGSEKNVJNQsqQQbb452PO46C7aTneMc0TpaJzfU4ZhLqr0cGTcGmAQ5Ehi";
    assert!(!reported(
        encrypted,
        "-----BEGIN",
        encrypted,
        FileKind::Other
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
fn needed_entropy_scales_with_length() {
    let p = GenericPolicy::default();
    assert!(needed_entropy(b"abcd", Holds::Key, &p) < 2.0);
    assert!(needed_entropy(b"abcd", Holds::Password, &p) < 1.5);
    assert_eq!(needed_entropy(&[b'g'; 64], Holds::Key, &p), 3.0);
    assert_eq!(needed_entropy(&[b'a'; 64], Holds::Key, &p), 2.7);
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
fn chosen_values_that_say_fake_are_stand_ins() {
    use FileKind::*;
    assert!(!reported(
        r#"password = "fake-verifier9""#,
        "password",
        "fake-verifier9",
        Code
    ));
    assert!(!reported(
        r#"API_TOKEN=FakeToken12345678"#,
        "API_TOKEN",
        "FakeToken12345678",
        Config
    ));
}

/// `template` with its `{}` replaced by `parts` joined: positive test values
/// are assembled at run time, so keyhook's own hook does not flag this file.
fn fill(template: &str, parts: &[&str]) -> (String, String) {
    let value = parts.concat();
    (template.replace("{}", &value), value)
}

#[test]
fn words_run_together_are_a_chosen_password() {
    use FileKind::*;
    for (template, name, parts) in [
        (
            "REACT_APP_AUTH_PASSWORD={}",
            "REACT_APP_AUTH_PASSWORD",
            &["white", "duke"][..],
        ),
        (r#"$password = "{}";"#, "password", &["good", "spec"]),
        ("Password={}", "Password", &["correct", "horse", "battery"]),
        ("password: {}", "password", &["blue", "password", "cat"]),
    ] {
        let (line, value) = fill(template, parts);
        assert!(reported(&line, name, &value, Config), "{line}");
    }
    // A single word, a pair that names the field, a phrase with a stand-in
    // word, or the same words in a key's slot are not.
    for (line, name, value) in [
        ("password: testing", "password", "testing"),
        ("password: topsecret", "password", "topsecret"),
        ("password: adminpass", "password", "adminpass"),
        ("password: notrequired", "password", "notrequired"),
        ("password: ignoreme", "password", "ignoreme"),
        ("password: helloworld", "password", "helloworld"),
        ("Password=thisismypassword", "Password", "thisismypassword"),
        (
            "password: supersecretpassword",
            "password",
            "supersecretpassword",
        ),
        ("api_token: whiteduke", "api_token", "whiteduke"),
        ("password: WhiteDuke", "password", "WhiteDuke"),
    ] {
        assert!(!reported(line, name, value, Config), "{line}");
    }
}

#[test]
fn passwords_passed_as_arguments() {
    use FileKind::*;
    for (template, name, parts) in [
        (
            r#"var cred = new NetworkCredential("svc_backup", "{}");"#,
            "NetworkCredential",
            &["Vq7r", "T2mwz"][..],
        ),
        (
            r#"$d = New-Object DirectoryServices.DirectoryEntry("LDAP://10.0.0.1","corp\svc", "{}")"#,
            "DirectoryServices",
            &["brak", "sha"],
        ),
        (
            r#"system("psexec \\\\192.168.3.77 -u Administrator -p {} shutdown");"#,
            "psexec",
            &["brak", "sha"],
        ),
    ] {
        let (line, value) = fill(template, parts);
        assert!(reported(&line, name, &value, Code), "{line}");
    }
    for (line, name, value) in [
        // Stand-ins, the user repeated, a variable.
        (
            r#"DirectoryEntry("LDAP://10.10.10.1","domain\user", "secret")"#,
            "DirectoryEntry",
            "secret",
        ),
        (
            r#"new GitCredential("alice", "alice")"#,
            "GitCredential",
            "alice",
        ),
        (
            "psexec \\\\host -u User -p $Password -i",
            "psexec",
            "$Password",
        ),
        (
            "psexec \\\\host -u admin -p dev_admin cmd",
            "psexec",
            "dev_admin",
        ),
        // One quoted argument before is a user; three is not this shape.
        (r#"f("a", "b", "c", "Vq7rT2mwz")"#, "f", "Vq7rT2mwz"),
    ] {
        assert!(!reported(line, name, value, Code), "{line}");
    }
}

#[test]
fn argument_shapes() {
    assert!(syntax::credential_argument(br#"("alice", ""#));
    assert!(syntax::credential_argument(br#"( "LDAP://x" , 'd\u', '"#));
    assert!(!syntax::credential_argument(br#"(""#));
    assert!(!syntax::credential_argument(br#" = Some(""#));
    assert!(!syntax::credential_argument(br#"(user, ""#));
    assert!(syntax::password_flag(
        b" \\\\10.0.94.120 -u Administrator -p "
    ));
    assert!(!syntax::password_flag(b" -p "));
    assert!(!syntax::password_flag(b" -u root -x "));
    assert!(syntax::identified_by(b"IDENTIFIED", b" BY \""));
    assert!(syntax::identified_by(b"identified", b" by '"));
    assert!(!syntax::identified_by(b"IDENTIFIED", b" BY PASSWORD '"));
    assert!(!syntax::identified_by(b"verified", b" by '"));
    assert!(syntax::password_flag(b" \\\\h -U sa -P \""));
}

#[test]
fn short_pronounceable_names_are_not_keys() {
    for v in ["mailchimp", "gitnavi", "iamnotacroken", "facebook"] {
        assert!(pronounceable(v.as_bytes()), "{v}");
    }
    for v in [
        "kvfsxyqjg",
        "ydrgcfajewbi",
        "nsdrdrfdy",
        "snhzfjnegxghf",
        "Mailchimp",
        "mailchimp1",
    ] {
        assert!(!pronounceable(v.as_bytes()), "{v}");
    }
    let (line, value) = fill(
        r#"json={"access_token": "{}", "expires_in": 0}"#,
        &["mail", "chimp"],
    );
    assert!(!reported(&line, "access_token", &value, FileKind::Code));
    // A password may be pronounceable: people choose those.
    let (line, value) = fill("DB_PASSWORD={}", &["boli", "mato"]);
    assert!(reported(&line, "DB_PASSWORD", &value, FileKind::Config));
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
fn url_passwords_are_decoded_and_checked_for_weak_ones() {
    assert_eq!(percent_decoded(b"password%20123"), b"password123");
    assert_eq!(percent_decoded(b"a%2Fb%zz%4"), b"a/b%zz%4");
    assert!(judge_url_password(b"password%20123", b"john").is_err());
    assert!(judge_url_password(b"::password123", b"john.doe").is_err());
    assert!(judge_url_password(b"letmein123", b"john.doe").is_err());
    let (_, value) = fill("{}", &["D1ff", "icultP%40ssw0rd"]);
    assert!(judge_url_password(value.as_bytes(), b"myDatabaseUser").is_ok());
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
fn hex_letters_are_not_words() {
    // `ebf` is in the vocabulary; in 16 hex digits it is chance.
    let (line, value) = fill(r#""tokens":["{}","86d7"],"#, &["e0e8ebf7", "109f6f4d"]);
    assert!(reported(&line, "tokens", &value, FileKind::Config));
    let (line, value) = fill(r#"const expectedAuthCode = "{}";"#, &["71b12", "bdf7b"]);
    assert!(reported(&line, "expectedAuthCode", &value, FileKind::Code));
    // Short hex made of words stays an identifier.
    assert!(!reported(
        r#"token = "deadbeef""#,
        "token",
        "deadbeef",
        FileKind::Code
    ));
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
fn substituted_and_foreign_word_stand_ins_pass() {
    use FileKind::*;
    for value in [
        "s3cr3t",
        "p@ssw0rd",
        "l3tm31n!",
        "geheim",
        "wachtwoord",
        "motdepasse",
        "segreto$chiave",
    ] {
        let line = format!(r#"    password = "{value}""#);
        assert!(!reported(&line, "password", value, Code), "{value}");
    }
    // Chosen and random passwords in the same place still block.
    for value in ["s8kQz2vR", "Tr0ub4dor&3x", "hq7Vd2mXr9", "kx3vq7zt"] {
        let line = format!(r#"    password = "{value}""#);
        assert!(reported(&line, "password", value, Code), "{value}");
    }
}

#[test]
fn curl_user_option_passwords() {
    use FileKind::*;
    let line = |pw: &str| format!("curl -u deploy:{pw} https://api.example.com/v1");
    let random = ["hq7V", "d2mXr9"].concat();
    assert!(reported(&line(&random), "-u", &random, Other));
    let long = format!("curl --user=ci:{random} -X POST https://x.example.com");
    assert!(reported(&long, "--user", &random, Other));
    for pw in ["deploy", "p@ssw0rd", "password", "$TOKEN"] {
        assert!(!reported(&line(pw), "-u", pw, Other), "{pw}");
    }
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
