//! Web API answers pio must not trust: redirects (never followed) and endless bodies (capped).

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Env;

/// A server on `addr` answering every request with `respond`; returns what it was asked.
fn serve(
    addr: &str,
    respond: impl Fn(&str) -> tiny_http::ResponseBox + Send + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>, Arc<tiny_http::Server>) {
    let server = Arc::new(tiny_http::Server::http(format!("{addr}:0")).unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let (s, log) = (server.clone(), asked.clone());
    std::thread::spawn(move || {
        for req in s.incoming_requests() {
            let line = format!("{} {}", req.method(), req.url());
            log.lock().unwrap().push(line.clone());
            let _ = req.respond(respond(&line));
        }
    });
    (port, asked, server)
}

fn config(env: &Env, port: u16) {
    env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\npio02=1\n\n\
         [cluster.addresses]\npio02=127.0.3.2\n\n[ui]\nport={port}\n"
    ));
}

#[test]
fn redirects_are_not_followed() {
    // The second host, which must never be asked anything.
    let (other_port, other_asked, _other) = serve("127.0.3.3", |_| {
        tiny_http::Response::from_string("{}").boxed()
    });
    let target = format!("http://127.0.3.3:{other_port}/unit_api/system/reboot");
    let (port, asked, _s) = serve("127.0.3.2", move |_| {
        tiny_http::Response::from_string("")
            .with_status_code(307)
            .with_header(tiny_http::Header::from_bytes("Location", target.as_str()).unwrap())
            .boxed()
    });
    let env = Env::new();
    config(&env, port);
    let run = env.run(&[
        "reboot",
        "pio02",
        "--yes",
        "--via",
        "http",
        "--inventory",
        "config",
    ]);
    run.code(1);
    assert!(run.stderr.contains("HTTP 307"), "{}", run.stderr);
    assert_eq!(*asked.lock().unwrap(), ["POST /unit_api/system/reboot"]);
    assert!(other_asked.lock().unwrap().is_empty());
}

#[test]
fn an_endless_body_is_an_error_not_a_memory_blowup() {
    let (port, _asked, _s) = serve("127.0.3.4", |_| {
        tiny_http::Response::new(200.into(), vec![], std::io::repeat(b' '), None, None).boxed()
    });
    let env = Env::new();
    env.write_config(&format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.inventory]\npio02=1\n\n\
         [cluster.addresses]\npio02=127.0.3.4\n\n[ui]\nport={port}\n"
    ));
    let start = Instant::now();
    let (run, peak_kib) = common::run_measured(&env.command(&[
        "--json",
        "workers",
        "status",
        "--via",
        "http",
        "--timeout",
        "20",
        "--inventory",
        "config",
    ]));
    // Far below what 20 s of an endless body would fill.
    assert!(peak_kib < 64 * 1024, "peak RSS {peak_kib} KiB");
    run.code(1);
    assert!(
        run.stdout.contains("larger than 1024 KiB"),
        "{}",
        run.stdout
    );
    assert!(start.elapsed() < Duration::from_secs(20));
}
