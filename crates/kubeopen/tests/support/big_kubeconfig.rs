//! A large, realistic kubeconfig: `contexts` entries, each with its own cluster (with a ~1.2 KB
//! CA bundle, as real ones are) and user (a ~900-byte service-account JWT), written the way
//! `kubectl config` writes them. Shared by the kubeconfig bench and tests.

/// The text of a kubeconfig with `contexts` contexts, clusters and users.
pub fn big_kubeconfig(contexts: usize) -> String {
    // A CA certificate's worth of base64 (the content does not matter to the parser).
    let ca: String = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lJ".repeat(19);
    let token: String = format!(
        "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.{}.{}",
        "eyJzdWIiOiJ4In0".repeat(40),
        "c2ln".repeat(60)
    );
    let mut out = String::with_capacity(contexts * 3200);
    out.push_str("apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n");
    for i in 0..contexts {
        out.push_str(&format!(
            "- cluster:\n    certificate-authority-data: {ca}\n    server: https://10.{}.{}.1:6443\n  name: cluster-{i}\n",
            i / 250,
            i % 250
        ));
    }
    out.push_str("contexts:\n");
    for i in 0..contexts {
        out.push_str(&format!(
            "- context:\n    cluster: cluster-{i}\n    namespace: team-{i}\n    user: user-{i}\n  name: context-{i}\n"
        ));
    }
    out.push_str(&format!("current-context: context-{}\nusers:\n", contexts / 2));
    for i in 0..contexts {
        out.push_str(&format!("- name: user-{i}\n  user:\n    token: {token}\n"));
    }
    out
}
