//! From the YAML tree to [`Kubeconfig`], field by field, as client-go's v1 types read it
//! (`tools/clientcmd/api/v1/types.go`): unknown keys are ignored, a null or empty value is the
//! same as an absent one, strings accept any scalar as written (`namespace: 007` is `"007"`, as
//! `sigs.k8s.io/yaml` converts guided by the target type), and booleans accept YAML 1.1's
//! `yes/no/on/off` as well as `true/false` (go-yaml v2).
//!
//! Two deliberate differences: a key repeated in one mapping is an error (go-yaml would keep
//! the last; a second `token:` is more likely a paste accident than intent), and keys match
//! case-sensitively (Go's `encoding/json` would also accept `Server:` for `server:`).

use super::yaml::{Mark, Node, NodeKind};
use super::{
    AuthInfo, AuthProvider, Cluster, Context, ExecConfig, ExecEnvVar, Kubeconfig, NamedAuthInfo,
    NamedCluster, NamedContext, NamedExtension, ParseError, Preferences,
};
use crate::auth::base64::{Alphabet, decode};
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, ParseError>;

/// Where a node is in the document, built on the stack as the reader descends and formatted only
/// for an error (`users[1].user.exec.args`), so reading allocates no paths.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
    fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// What is wrong with a node; formatted in one place (one code path keeps the wasm small).
enum Problem<'a> {
    Expected(&'static str, &'static str),
    NotBool(&'a str),
    QuotedBool(&'a str),
    KeyNotString(&'static str),
    DuplicateKey(&'a str, usize),
    DuplicateName(&'a str, &'a Path<'a>, usize),
    Base64(crate::auth::base64::Base64Error),
    RootNotMapping(&'static str),
}

#[cold]
fn error(mark: Mark, path: &Path<'_>, problem: Problem<'_>) -> ParseError {
    let message = match problem {
        Problem::Expected(expected, found) => format!("expected {expected}, found {found}"),
        Problem::NotBool(value) => format!("expected true or false, found {value:?}"),
        Problem::QuotedBool(value) => format!("expected true or false, found the quoted string {value:?}"),
        Problem::KeyNotString(found) => format!("a mapping key must be a string, found {found}"),
        Problem::DuplicateKey(name, line) => format!("key {name:?} appears twice (first at line {line})"),
        Problem::DuplicateName(name, list, line) => {
            format!("duplicate name {name:?} in {list} (first at line {line})")
        }
        Problem::Base64(e) => format!("not valid base64: {e}"),
        Problem::RootNotMapping(found) => {
            format!("a kubeconfig is a mapping (clusters, users, contexts, …), found {found}")
        }
    };
    ParseError::Field {
        line: mark.line,
        column: mark.column,
        path: path.to_string(),
        message,
    }
}

/// What a node is, for "expected X, found Y" messages.
fn what(node: &Node) -> &'static str {
    match &node.kind {
        NodeKind::Scalar { .. } if node.is_null() => "null",
        NodeKind::Scalar { .. } => "a scalar",
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
    }
}

/// The entries of a mapping (none for null), with keys as strings; repeated keys are refused.
#[inline(never)] // one copy per helper, not one per field (wasm size)
fn entries<'a>(node: &'a Node, path: &Path<'_>) -> Result<Vec<(&'a str, &'a Node)>> {
    if node.is_null() {
        return Ok(Vec::new());
    }
    let NodeKind::Map(pairs) = &node.kind else {
        return Err(error(node.mark, path, Problem::Expected("a mapping", what(node))));
    };
    let mut out: Vec<(&str, &Node)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let NodeKind::Scalar { value: name, .. } = &key.kind else {
            return Err(error(key.mark, path, Problem::KeyNotString(what(key))));
        };
        // Mappings here have a handful of keys: a linear scan beats hashing.
        if let Some((_, first)) = out.iter().find(|(k, _)| k == name) {
            return Err(error(
                key.mark,
                path,
                Problem::DuplicateKey(name, first.mark.line),
            ));
        }
        out.push((name, value));
    }
    Ok(out)
}

#[inline(never)] // one copy per helper, not one per field (wasm size)
fn items<'a>(node: &'a Node, path: &Path<'_>) -> Result<&'a [Node]> {
    match &node.kind {
        _ if node.is_null() => Ok(&[]),
        NodeKind::Seq(items) => Ok(items),
        _ => Err(error(node.mark, path, Problem::Expected("a list", what(node)))),
    }
}

#[inline(never)] // one copy per helper, not one per field (wasm size)
fn string(node: &Node, path: &Path<'_>) -> Result<Option<String>> {
    match &node.kind {
        _ if node.is_null() => Ok(None),
        NodeKind::Scalar { value, .. } if value.is_empty() => Ok(None),
        NodeKind::Scalar { value, .. } => Ok(Some(value.clone())),
        _ => Err(error(node.mark, path, Problem::Expected("a string", what(node)))),
    }
}

/// A string that may legitimately be empty (list items, map values): null is `""`.
#[inline(never)] // one copy per helper, not one per field (wasm size)
fn string_or_empty(node: &Node, path: &Path<'_>) -> Result<String> {
    Ok(string(node, path)?.unwrap_or_default())
}

#[inline(never)] // one copy per helper, not one per field (wasm size)
fn boolean(node: &Node, path: &Path<'_>) -> Result<bool> {
    match &node.kind {
        _ if node.is_null() => Ok(false),
        NodeKind::Scalar { value, plain: true } => match value.as_str() {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => Ok(true),
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => Ok(false),
            _ => Err(error(node.mark, path, Problem::NotBool(value))),
        },
        NodeKind::Scalar { value, .. } => Err(error(node.mark, path, Problem::QuotedBool(value))),
        _ => Err(error(
            node.mark,
            path,
            Problem::Expected("true or false", what(node)),
        )),
    }
}

#[inline(never)] // one copy per helper, not one per field (wasm size)
fn string_list(node: &Node, path: &Path<'_>) -> Result<Vec<String>> {
    items(node, path)?
        .iter()
        .enumerate()
        .map(|(i, item)| string_or_empty(item, &path.index(i)))
        .collect()
}

#[inline(never)] // one copy per helper, not one per field (wasm size)
fn string_map(node: &Node, path: &Path<'_>) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for (k, v) in entries(node, path)? {
        map.insert(k.to_owned(), string_or_empty(v, &path.key(k))?);
    }
    Ok(map)
}

/// A `*-data` field: base64 as Go's `[]byte` JSON decoding reads it; kept as written.
#[inline(never)] // one copy per helper, not one per field (wasm size)
fn base64_data(node: &Node, path: &Path<'_>) -> Result<Option<String>> {
    let Some(data) = string(node, path)? else {
        return Ok(None);
    };
    decode(&data, Alphabet::Standard).map_err(|e| error(node.mark, path, Problem::Base64(e)))?;
    Ok(Some(data))
}

#[inline(never)] // one copy per helper, not one per field (wasm size)
fn extensions(node: &Node, path: &Path<'_>) -> Result<Vec<NamedExtension>> {
    let mut out = Vec::new();
    for (i, item) in items(node, path)?.iter().enumerate() {
        let path = path.index(i);
        let mut ext = NamedExtension::default();
        for (key, value) in entries(item, &path)? {
            match key {
                "name" => ext.name = string_or_empty(value, &path.key(key))?,
                "extension" => ext.extension = value.to_json(),
                _ => {}
            }
        }
        out.push(ext);
    }
    Ok(out)
}

/// Reads a `[]Named*` list: each item a mapping with `name` and `body_key`; names must be unique
/// (client-go's conversion to a map fails on duplicates).
fn named<T: Default>(
    node: &Node,
    path: &Path<'_>,
    body_key: &str,
    read: impl Fn(&Node, &Path<'_>) -> Result<T>,
) -> Result<Vec<(String, T)>> {
    let list = items(node, path)?;
    let mut out: Vec<(String, T)> = Vec::with_capacity(list.len());
    // name -> line of its first item; a map, since kubeconfigs can hold thousands of entries
    // (a BTreeMap: the crate uses it elsewhere, a HashMap would add its own code to the wasm).
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, item) in list.iter().enumerate() {
        let item_path = path.index(i);
        let mut name = "";
        // Errors about the name point at it (a block mapping's own mark is on its first key).
        let mut name_mark = item.mark;
        let mut body = T::default();
        for (key, value) in entries(item, &item_path)? {
            if key == "name" {
                name = match &value.kind {
                    NodeKind::Scalar { value: name, .. } if !value.is_null() => name,
                    _ if value.is_null() => "",
                    _ => {
                        return Err(error(
                            value.mark,
                            &item_path.key(key),
                            Problem::Expected("a string", what(value)),
                        ));
                    }
                };
                name_mark = value.mark;
            } else if key == body_key {
                body = read(value, &item_path.key(key))?;
            }
        }
        if let Some(line) = seen.insert(name, name_mark.line) {
            return Err(error(
                name_mark,
                &item_path.key("name"),
                Problem::DuplicateName(name, path, line),
            ));
        }
        out.push((name.to_owned(), body));
    }
    Ok(out)
}

fn cluster(node: &Node, path: &Path<'_>) -> Result<Cluster> {
    let mut c = Cluster::default();
    for (key, v) in entries(node, path)? {
        let p = &path.key(key);
        match key {
            "server" => c.server = string(v, p)?,
            "tls-server-name" => c.tls_server_name = string(v, p)?,
            "insecure-skip-tls-verify" => c.insecure_skip_tls_verify = boolean(v, p)?,
            "certificate-authority" => c.certificate_authority = string(v, p)?,
            "certificate-authority-data" => c.certificate_authority_data = base64_data(v, p)?,
            "proxy-url" => c.proxy_url = string(v, p)?,
            "disable-compression" => c.disable_compression = boolean(v, p)?,
            "extensions" => c.extensions = extensions(v, p)?,
            _ => {}
        }
    }
    Ok(c)
}

fn auth_info(node: &Node, path: &Path<'_>) -> Result<AuthInfo> {
    let mut u = AuthInfo::default();
    for (key, v) in entries(node, path)? {
        let p = &path.key(key);
        match key {
            "client-certificate" => u.client_certificate = string(v, p)?,
            "client-certificate-data" => u.client_certificate_data = base64_data(v, p)?,
            "client-key" => u.client_key = string(v, p)?,
            "client-key-data" => u.client_key_data = base64_data(v, p)?,
            "token" => u.token = string(v, p)?,
            "tokenFile" => u.token_file = string(v, p)?,
            "as" => u.impersonate = string(v, p)?,
            "as-uid" => u.impersonate_uid = string(v, p)?,
            "as-groups" => u.impersonate_groups = string_list(v, p)?,
            "as-user-extra" => {
                for (k, list) in entries(v, p)? {
                    u.impersonate_user_extra
                        .insert(k.to_owned(), string_list(list, &p.key(k))?);
                }
            }
            "username" => u.username = string(v, p)?,
            "password" => u.password = string(v, p)?,
            "auth-provider" if !v.is_null() => u.auth_provider = Some(auth_provider(v, p)?),
            "exec" if !v.is_null() => u.exec = Some(exec(v, p)?),
            "extensions" => u.extensions = extensions(v, p)?,
            _ => {}
        }
    }
    Ok(u)
}

fn auth_provider(node: &Node, path: &Path<'_>) -> Result<AuthProvider> {
    let mut a = AuthProvider::default();
    for (key, v) in entries(node, path)? {
        let p = &path.key(key);
        match key {
            "name" => a.name = string_or_empty(v, p)?,
            "config" => a.config = string_map(v, p)?,
            _ => {}
        }
    }
    Ok(a)
}

fn exec(node: &Node, path: &Path<'_>) -> Result<ExecConfig> {
    let mut e = ExecConfig::default();
    for (key, v) in entries(node, path)? {
        let p = &path.key(key);
        match key {
            "command" => e.command = string_or_empty(v, p)?,
            "args" => e.args = string_list(v, p)?,
            "env" => {
                for (i, item) in items(v, p)?.iter().enumerate() {
                    let p = &p.index(i);
                    let mut var = ExecEnvVar::default();
                    for (k, value) in entries(item, p)? {
                        match k {
                            "name" => var.name = string_or_empty(value, &p.key(k))?,
                            "value" => var.value = string_or_empty(value, &p.key(k))?,
                            _ => {}
                        }
                    }
                    e.env.push(var);
                }
            }
            "apiVersion" => e.api_version = string_or_empty(v, p)?,
            "installHint" => e.install_hint = string(v, p)?,
            "provideClusterInfo" => e.provide_cluster_info = boolean(v, p)?,
            "interactiveMode" => e.interactive_mode = string(v, p)?,
            _ => {}
        }
    }
    Ok(e)
}

fn context(node: &Node, path: &Path<'_>) -> Result<Context> {
    let mut c = Context::default();
    for (key, v) in entries(node, path)? {
        let p = &path.key(key);
        match key {
            "cluster" => c.cluster = string(v, p)?,
            "user" => c.user = string(v, p)?,
            "namespace" => c.namespace = string(v, p)?,
            "extensions" => c.extensions = extensions(v, p)?,
            _ => {}
        }
    }
    Ok(c)
}

fn preferences(node: &Node, path: &Path<'_>) -> Result<Preferences> {
    let mut pref = Preferences::default();
    for (key, v) in entries(node, path)? {
        let p = &path.key(key);
        match key {
            "colors" => pref.colors = if v.is_null() { None } else { Some(boolean(v, p)?) },
            "extensions" => pref.extensions = extensions(v, p)?,
            _ => {}
        }
    }
    Ok(pref)
}

/// The whole document. The root must be a mapping (or empty).
pub(super) fn kubeconfig(root: &Node) -> Result<Kubeconfig> {
    let path = &Path::Root;
    if !root.is_null() && !matches!(root.kind, NodeKind::Map(_)) {
        return Err(error(root.mark, path, Problem::RootNotMapping(what(root))));
    }
    let mut k = Kubeconfig::default();
    for (key, v) in entries(root, path)? {
        let p = &path.key(key);
        match key {
            "kind" => k.kind = string(v, p)?,
            "apiVersion" => k.api_version = string(v, p)?,
            "preferences" => k.preferences = preferences(v, p)?,
            "clusters" => {
                k.clusters = named(v, p, "cluster", cluster)?
                    .into_iter()
                    .map(|(name, cluster)| NamedCluster { name, cluster })
                    .collect();
            }
            "users" => {
                k.users = named(v, p, "user", auth_info)?
                    .into_iter()
                    .map(|(name, user)| NamedAuthInfo { name, user })
                    .collect();
            }
            "contexts" => {
                k.contexts = named(v, p, "context", context)?
                    .into_iter()
                    .map(|(name, context)| NamedContext { name, context })
                    .collect();
            }
            "current-context" => k.current_context = string(v, p)?,
            "extensions" => k.extensions = extensions(v, p)?,
            _ => {}
        }
    }
    Ok(k)
}
