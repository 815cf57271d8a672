//! The npm package's `Kubeconfig` objects back into kubeconfigs: the package returns camelCase
//! field names (`currentContext`, `certificateAuthorityData`, `impersonate`), and takes either
//! those or the file's own names (`kubectl config view -o json`). This renames the camelCase
//! keys, at the places where the file has them, before the usual conversion — so an object gets
//! exactly the checks a file gets.

use super::yaml::{Node, NodeKind};

/// Which mapping a key is in.
#[derive(Clone, Copy)]
enum Level {
    Root,
    Cluster,
    User,
}

/// The file's name for a camelCase key, where they differ.
fn file_name(level: Level, key: &str) -> Option<&'static str> {
    Some(match (level, key) {
        (Level::Root, "currentContext") => "current-context",
        (Level::Cluster, "tlsServerName") => "tls-server-name",
        (Level::Cluster, "insecureSkipTlsVerify") => "insecure-skip-tls-verify",
        (Level::Cluster, "certificateAuthority") => "certificate-authority",
        (Level::Cluster, "certificateAuthorityData") => "certificate-authority-data",
        (Level::Cluster, "proxyUrl") => "proxy-url",
        (Level::Cluster, "disableCompression") => "disable-compression",
        (Level::User, "clientCertificate") => "client-certificate",
        (Level::User, "clientCertificateData") => "client-certificate-data",
        (Level::User, "clientKey") => "client-key",
        (Level::User, "clientKeyData") => "client-key-data",
        (Level::User, "impersonate") => "as",
        (Level::User, "impersonateUid") => "as-uid",
        (Level::User, "impersonateGroups") => "as-groups",
        (Level::User, "impersonateUserExtra") => "as-user-extra",
        (Level::User, "authProvider") => "auth-provider",
        _ => return None,
    })
}

/// Renames the keys of one mapping (anything else is left for the conversion to report).
fn rename(node: &mut Node, level: Level) {
    if let NodeKind::Map(entries) = &mut node.kind {
        for (key, _) in entries.iter_mut() {
            if let NodeKind::Scalar { value, .. } = &mut key.kind
                && let Some(name) = file_name(level, value)
            {
                *value = name.to_owned();
            }
        }
    }
}

/// The value under `key` in a mapping.
fn get_mut<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    let NodeKind::Map(entries) = &mut node.kind else {
        return None;
    };
    entries
        .iter_mut()
        .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar { value, .. } if value == key))
        .map(|(_, v)| v)
}

/// Renames every camelCase key of a `Kubeconfig` object to the file's name.
pub(crate) fn to_file_names(root: &mut Node) {
    rename(root, Level::Root);
    for (list, field, level) in [
        ("clusters", "cluster", Level::Cluster),
        ("users", "user", Level::User),
    ] {
        if let Some(Node {
            kind: NodeKind::Seq(items),
            ..
        }) = get_mut(root, list)
        {
            for item in items {
                if let Some(inner) = get_mut(item, field) {
                    rename(inner, level);
                }
            }
        }
    }
}
