//! In-cluster host names of services, as an app running in the cluster writes them, mapped to
//! proxy targets.
//!
//! | host | read as | when |
//! | --- | --- | --- |
//! | `NAME.NS.svc.CLUSTER-DOMAIN` | service NAME in NS | always |
//! | `NAME.NS.svc` | service NAME in NS | always |
//! | `NAME.NS` | service NAME in NS | NS is the target's namespace |
//! | `NAME` | the target's own service | NAME is the target's service name |
//!
//! The two short forms are only trusted where they cannot be a public host: `NAME.NS` for any NS
//! would turn `example.com` into "service `example` in namespace `com`", and a single label such
//! as `intranet` may be a host the person's own network resolves. (A namespace named like a
//! public TLD — `app`, `dev` — still makes `x.app` ambiguous; such a link is taken as in-cluster.)

use crate::segment::Scheme;
use crate::target::{Kind, Port, Target};

use super::context::RewriteContext;

/// The target a URL to `host[:port]` with this scheme reaches, if the host is an in-cluster
/// service name. `port` is the explicit port as written; `None` means the scheme's default.
pub(super) fn cluster_target(
    ctx: &RewriteContext,
    host: &str,
    port: Option<&str>,
    secure: bool,
) -> Option<Target> {
    let host = host.strip_suffix('.').unwrap_or(host);
    // Service and namespace names are lower-case; DNS is not case-sensitive.
    let lower;
    let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = host.to_ascii_lowercase();
        lower.as_str()
    } else {
        host
    };
    let own = &ctx.target;
    let own_namespace = own.namespace();
    let (name, namespace) = match host.split_once('.') {
        None => {
            // A single label: only the target's own service name.
            (own.kind() == Kind::Service && own.name() == host).then_some(())?;
            (host, own_namespace?)
        }
        Some((name, rest)) => match rest.split_once('.') {
            None => (Some(rest) == own_namespace).then_some((name, rest))?,
            Some((namespace, tail)) => {
                let is_service_domain = tail == "svc"
                    || tail
                        .strip_prefix("svc.")
                        .is_some_and(|domain| domain == ctx.cluster_domain);
                is_service_domain.then_some((name, namespace))?
            }
        },
    };
    let explicit_port = match port {
        None | Some("") => None,
        Some(p) => Some(Port::parse(p).ok()?.as_number()?),
    };
    if own.kind() == Kind::Service && own.name() == name && own_namespace == Some(namespace) {
        // The app naming itself: keep the target exactly (so the tab's browser rules, which are
        // written for this one prefix, still apply) unless another port is named.
        let same_port = match (explicit_port, own.port()) {
            (None, _) => true,
            (Some(p), Some(own_port)) => own_port.as_number() == Some(p),
            (Some(_), None) => false,
        };
        if same_port {
            return Some(own.clone());
        }
    }
    let number = explicit_port.unwrap_or(if secure { 443 } else { 80 });
    let target = Target::service(namespace, name).ok()?;
    Some(
        target
            .with_scheme(secure.then_some(Scheme::Https))
            .with_port(Some(Port::number(number).ok()?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> RewriteContext {
        let t = Target::service("monitoring", "grafana")
            .unwrap()
            .with_port(Some(Port::number(3000).unwrap()));
        RewriteContext::new("https://k", &t).unwrap()
    }

    fn segment(host: &str, port: Option<&str>, secure: bool) -> Option<String> {
        let ctx = ctx();
        cluster_target(&ctx, host, port, secure)
            .map(|t| format!("{}/{}", t.namespace().unwrap_or("-"), t.segment()))
    }

    #[test]
    fn host_forms() {
        assert_eq!(
            segment("prometheus.db.svc.cluster.local", Some("9090"), false).as_deref(),
            Some("db/prometheus:9090")
        );
        assert_eq!(
            segment("Prometheus.DB.svc.cluster.local.", None, true).as_deref(),
            Some("db/https:prometheus:443")
        );
        assert_eq!(
            segment("prometheus.db.svc", None, false).as_deref(),
            Some("db/prometheus:80")
        );
        assert_eq!(
            segment("prometheus.monitoring", Some("9090"), false).as_deref(),
            Some("monitoring/prometheus:9090")
        );
        assert_eq!(segment("prometheus.db", Some("9090"), false), None);
        assert_eq!(segment("example.com", None, true), None);
        assert_eq!(
            segment("grafana", None, false).as_deref(),
            Some("monitoring/grafana:3000")
        );
        assert_eq!(
            segment("grafana", Some("3000"), false).as_deref(),
            Some("monitoring/grafana:3000")
        );
        assert_eq!(
            segment("grafana.monitoring.svc", Some("8080"), false).as_deref(),
            Some("monitoring/grafana:8080")
        );
        assert_eq!(segment("intranet", None, false), None);
        assert_eq!(segment("x.y.svc.other.domain", None, false), None);
        assert_eq!(segment("a.b.c.svc", None, false), None);
        assert_eq!(segment("1bad.db.svc", None, false), None);
        assert_eq!(segment("ok.db.svc", Some("0"), false), None);
        assert_eq!(segment("ok.db.svc", Some("http"), false), None);
    }
}
