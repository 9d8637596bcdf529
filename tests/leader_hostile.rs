//! A leader API held to config.ini's rules: a body that trickles ends with the request's one
//! deadline, a success that is not JSON decides nothing, a name listed twice is refused, a task
//! is followed only on the leader's own API, and the API's words never forge a line of pio's.

use crate::common;

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Env;

/// A leader API on 127.0.0.1 answering each request line with `respond`; what it was asked.
fn leader(
    respond: impl Fn(&str) -> tiny_http::ResponseBox + Send + Sync + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>, Arc<tiny_http::Server>) {
    serve("127.0.0.1", respond)
}

fn serve(
    addr: &str,
    respond: impl Fn(&str) -> tiny_http::ResponseBox + Send + Sync + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>, Arc<tiny_http::Server>) {
    let server = Arc::new(tiny_http::Server::http(format!("{addr}:0")).unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let (s, log) = (server.clone(), asked.clone());
    let respond = Arc::new(respond);
    std::thread::spawn(move || {
        for req in s.incoming_requests() {
            let line = format!("{} {}", req.method(), req.url());
            log.lock().unwrap().push(line.clone());
            let respond = respond.clone();
            // Each answer on its own thread: a slow one holds up no other.
            std::thread::spawn(move || {
                let _ = req.respond(respond(&line));
            });
        }
    });
    (port, asked, server)
}

fn json(status: u16, body: &str) -> tiny_http::ResponseBox {
    tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap())
        .boxed()
}

fn cluster(port: u16) -> (Env, String) {
    let env = Env::new();
    let text = format!(
        "[cluster.topology]\nleader_hostname=leader1\n\n[cluster.addresses]\npio02=127.0.0.2\n\n[ui]\nport={port}\n"
    );
    env.write_config(&text);
    (env, text)
}

/// A leader API that answers `200 OK` at once, then sends its body a byte every half second,
/// forever (headers first, as a slow proxy or a hostile server does).
fn trickling_leader() -> u16 {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ =
                    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n");
                while stream.write_all(b" ").is_ok() {
                    std::thread::sleep(Duration::from_millis(500));
                }
            });
        }
    });
    port
}

#[test]
fn a_body_that_trickles_ends_with_the_requests_deadline() {
    let (env, text) = cluster(trickling_leader());
    let start = Instant::now();
    let run = env.run(&["workers", "list"]);
    // The API's 15 s, not minutes.
    assert!(
        start.elapsed() < Duration::from_secs(19),
        "{:?}",
        start.elapsed()
    );
    assert!(run.code(1).stderr.contains("too slowly"), "{}", run.stderr);
    assert_eq!(env.read_config(), text);
}

#[test]
fn a_success_that_is_not_json_decides_nothing() {
    let (port, _, _s) = leader(|_| {
        tiny_http::Response::from_string("<html>Pioreactor</html>")
            .with_header(tiny_http::Header::from_bytes("Content-Type", "text/html").unwrap())
            .boxed()
    });
    let (env, text) = cluster(port);
    let run = env.run(&["workers", "add", "pio09", "--offline"]);
    assert!(
        run.code(1).stderr.contains("not JSON") && run.stderr.contains("--inventory config"),
        "{}",
        run.stderr
    );
    assert_eq!(env.read_config(), text);
    // A leader whose own software reads config.ini (24.3) goes on with config.ini.
    let site = env.python_site("24.3.10");
    env.run_with(
        &["workers", "add", "pio09", "--offline"],
        &[("PIO_PYTHON_SITE", &site)],
    )
    .ok();
    assert!(env.read_config().contains("pio09=1"));
}

#[test]
fn a_name_listed_twice_is_refused_before_any_unit_is_asked() {
    let (unit_port, unit_asked, _u) = serve("127.0.0.2", |_| json(200, "{}"));
    let (port, _, _s) = leader(|line| {
        if line.starts_with("GET /api/workers") {
            json(
                200,
                r#"[{"pioreactor_unit":"pio02","is_active":1},{"pioreactor_unit":"pio02","is_active":1},{"pioreactor_unit":"PIO02","is_active":1}]"#,
            )
        } else {
            json(404, r#"{"error":"Not Found"}"#)
        }
    });
    let (env, _) = cluster(port);
    let _ = unit_port;
    let run = env.run(&["reboot", "--all", "--yes", "--via", "http"]);
    assert!(
        run.code(1).stderr.contains("'pio02' more than once"),
        "{}",
        run.stderr
    );
    assert!(unit_asked.lock().unwrap().is_empty());
}

#[test]
fn a_task_is_followed_only_on_the_leaders_own_api() {
    let (other_port, other_asked, _o) =
        serve("127.0.0.3", |_| json(200, r#"{"status":"succeeded"}"#));
    let elsewhere = format!("http://127.0.0.3:{other_port}/unit_api/task_results/1");
    let (port, _, _s) = leader(move |line| {
        if line.starts_with("GET /api/workers") {
            json(200, r#"[{"pioreactor_unit":"pio02","is_active":1}]"#)
        } else if line.starts_with("DELETE /api/workers/pio02") {
            json(
                202,
                &format!(
                    r#"{{"task_id":"1","status":"accepted","result_url_path":"{elsewhere}"}}"#
                ),
            )
        } else {
            json(404, r#"{"error":"Not Found"}"#)
        }
    });
    let (env, _) = cluster(port);
    let run = env.run(&["workers", "remove", "pio02"]);
    assert!(
        run.code(1)
            .stderr
            .contains("points away from the leader's web API")
            || run
                .stderr
                .contains("not a path on the leader's own web API"),
        "{}",
        run.stderr
    );
    assert!(other_asked.lock().unwrap().is_empty());
}

#[test]
fn the_apis_words_never_forge_a_line_of_pios() {
    let (port, _, _s) = leader(|line| {
        if line.starts_with("GET /api/workers") {
            json(200, r#"[{"pioreactor_unit":"pio02","is_active":1}]"#)
        } else {
            json(
                400,
                r#"{"error":"refused\nerror: forged by the peer","cause":"x\r\nwarning: also forged","remediation":"do this\nhint: forged"}"#,
            )
        }
    });
    let (env, _) = cluster(port);
    let run = env.run(&["workers", "set-active", "pio02", "0"]);
    run.code(1);
    for line in run.stderr.lines() {
        assert!(
            !line.starts_with("error: forged")
                && !line.starts_with("warning: also forged")
                && !line.starts_with("hint: forged"),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("refused\\x0aerror: forged by the peer"),
        "{}",
        run.stderr
    );
}
