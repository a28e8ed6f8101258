#!/usr/bin/env python3
"""Rebuilds src/scan/words.txt, the vocabulary keyhook uses to tell values made
of words (identifiers, phrases, default passwords) from random tokens.

    pip install wordfreq
    python3 scripts/build_words.py [SOURCE_DIR ...] > src/scan/words.txt

Three parts: the 8,000 most frequent English words of three letters or more
(wordfreq), the 8,000 identifier words used by the most packages in the given
source trees (default: the Python library, the Cargo registry and npm), and a
short list of configuration vocabulary kept below. A random string of eight
letters splits into these words about 4 times in 10,000.
"""
import collections, os, re, sys
from wordfreq import top_n_list

N_ENGLISH, N_CODE, MIN_PACKAGES = 8000, 8000, 8
EXTENSIONS = (".py", ".rs", ".js", ".ts", ".go", ".java", ".rb")
TECH = """
in on to me my of is it at by up no go do we be an as or if so us id ok db io ui os js vm pc ip tx rx ad am he hi oh ow pm re yo ya ex vs pr qa
json yaml yml xml html http https url uri urls api apis sdk cli gui tcp udp dns ssh ssl tls jwt jwk jws jwe oauth oauth2 oidc saml ldap smtp imap pop ftp sftp
sql mysql postgres postgresql psql pg sqlite mongo mongodb redis kafka rabbitmq rabbit nginx apache docker kubernetes kube kubectl helm github gitlab bitbucket
aws gcp azure ec2 iam kms arn rsa dsa ecdsa ecdh aes gcm cbc hmac sha md5 bcrypt scrypt argon crypt crypto base64 hex utf ascii uuid guid ids env envs
dev prod stage staging localhost admin admins root sudo config configs conf cfg init auth authn authz creds cred passwd pwd pass username usr user users
login logout signin signup app apps dbname repo repos src dst tmp temp var vars pkg lib libs bin exe dll npm yarn pip gem cargo maven gradle webpack
nodejs node golang rust php perl lua dotnet async await const enum struct impl func def args argv kwargs params param req res resp ctx msg err errs
str int bool boolean null nil none true false undefined nan todo fixme foo bar baz qux quux foobar hello world test tests testing mock mocks stub fake
demo sample example dummy changeme changeit secret secrets token tokens apikey webhook callback redirect endpoint backend frontend middleware plugin
runtime timestamp datetime metadata schema namespace tenant cluster pod vpc subnet ingress egress proxy gateway firewall vault keychain keystore keyring
truststore cert certs pem crt der pfx pkcs x509 csr tfstate terraform tf ansible jenkins travis circleci webapp website www
jsonp csv tsv txt pdf png jpg svg gif md rst ini toml dotenv hash hashes hashed salt salted nonce otp totp hotp mfa sso bearer basic digest ntlm
kerberos krb string strings integer float double byte bytes char chars list dict map set array arr obj object objects num len idx val vals
get put post patch delete head options fetch send recv read write open close min max avg sum cnt inc dec
readme changelog license makefile dockerfile
"""

def code_words(roots):
    ident = re.compile(rb"[A-Za-z_][A-Za-z0-9_]{2,60}")
    hump = re.compile(rb"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
    users = collections.defaultdict(set)
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            package = "/".join(dirpath[len(root):].split("/")[1:3])
            for f in files:
                if not f.endswith(EXTENSIONS):
                    continue
                try:
                    data = open(os.path.join(dirpath, f), "rb").read()
                except OSError:
                    continue
                for m in set(ident.findall(data)):
                    for part in re.split(rb"[_0-9]+", m):
                        for w in hump.findall(part):
                            if len(w) >= 3:
                                users[w.lower()].add(root + package)
    ranked = sorted(users, key=lambda w: -len(users[w]))
    return [w.decode() for w in ranked if len(users[w]) >= MIN_PACKAGES][:N_CODE]

def main():
    roots = sys.argv[1:] or [
        os.path.dirname(os.__file__),
        os.path.expanduser("~/.cargo/registry/src"),
        "/usr/lib/node_modules/npm",
    ]
    english = [w for w in top_n_list("en", N_ENGLISH * 2) if re.fullmatch("[a-z]+", w) and len(w) >= 3]
    words = set(english[:N_ENGLISH]) | set(code_words(roots)) | set(TECH.split())
    print("# Words that make a value read as language or an identifier, not a random token.")
    print("# The most frequent English words (wordfreq), the most widespread words of")
    print("# identifiers in open-source Python, Rust and JavaScript packages, and the")
    print("# vocabulary of configuration. One lowercase word a line.")
    print("# Rebuild with scripts/build_words.py.")
    for w in sorted(words):
        print(w)

if __name__ == "__main__":
    main()
