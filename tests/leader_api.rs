//! The pretend leader web API (tests/common/leader_api.rs) answers as the real Pioreactor leader
//! does: these tests pin its statuses and bodies, written out by hand from the real source, so
//! the pretend cannot drift from what pio's API client was written against.

use crate::common;

use common::leader_api::{LeaderApi, Mode, Recorded, TaskOutcome};
use serde_json::{Value, json};

fn leader() -> LeaderApi {
    LeaderApi::start("127.0.0.1:0")
}

/// Sends `body` as is (JSON or not); the answer's JSON, or its text as a JSON string.
fn call(api: &LeaderApi, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .unwrap();
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client.request(method, format!("{}{path}", api.url()));
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().unwrap();
    let status = response.status().as_u16();
    let text = response.text().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn send(api: &LeaderApi, method: &str, path: &str, body: Value) -> (u16, Value) {
    call(api, method, path, Some(&body.to_string()))
}

fn get(api: &LeaderApi, path: &str) -> (u16, Value) {
    call(api, "GET", path, None)
}

fn bad_body(cause: &str, required: &str) -> (u16, Value) {
    let remediation = format!("Send a JSON object with the required fields: {required}.");
    let body = json!({"error": "Invalid request body.", "status": 400, "cause": cause,
                      "remediation": remediation});
    (400, body)
}

fn unknown_worker(unit: &str) -> (u16, Value) {
    let body = json!({"error": format!("Unknown Pioreactor worker: {unit}"), "status": 400,
        "cause": "The requested worker is not registered in this cluster.",
        "remediation": "Choose $broadcast or a worker from inventory."});
    (400, body)
}

fn ok(status: u16) -> (u16, Value) {
    (status, json!({"status": "success"}))
}

#[test]
fn lists_workers_by_name_with_only_ipv4_addresses() {
    let api = leader();
    api.add_worker("pio02", true, Some("pioreactor_40ml"), Some("1.5"));
    api.add_worker("pio01", false, None, None);
    for unit in ["pio03", "pio04", "pio05"] {
        api.add_worker(unit, true, None, None);
    }
    api.set_address("pio01", "192.168.1.21");
    api.set_address("pio02", "pio02.local");
    api.set_address("pio03", "fe80::1");
    api.set_address("pio04", "010.0.0.1"); // Python's ipaddress refuses leading zeros
    let w = api.workers();
    let names: Vec<&str> = w.iter().map(|w| w.pioreactor_unit.as_str()).collect();
    assert_eq!(names, ["pio01", "pio02", "pio03", "pio04", "pio05"]);
    let stamp = &w[0].added_at;
    assert!(stamp.len() == 24 && stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T');

    let row = |i: usize, addr: Value| {
        json!({"pioreactor_unit": w[i].pioreactor_unit, "added_at": w[i].added_at,
               "is_active": w[i].is_active, "model_name": w[i].model_name,
               "model_version": w[i].model_version, "ipv4_address": addr})
    };
    let expected = json!([
        row(0, json!("192.168.1.21")),
        row(1, Value::Null),
        row(2, Value::Null),
        row(3, Value::Null),
        row(4, Value::Null)
    ]);
    assert_eq!(get(&api, "/api/workers"), (200, expected));
    assert_eq!(w[0].is_active, 0);
    assert_eq!(w[1].model_name.as_deref(), Some("pioreactor_40ml"));

    let one = json!({"pioreactor_unit": "pio02", "added_at": w[1].added_at, "is_active": 1,
                     "model_name": "pioreactor_40ml", "model_version": "1.5"});
    assert_eq!(get(&api, "/api/workers/pio02"), (200, one));
    let missing = json!({"error": "Worker not found", "status": 404,
        "cause": "Worker 'pio09' not in leader database.",
        "remediation": "Check the unit name or add the worker to the inventory."});
    assert_eq!(get(&api, "/api/workers/pio09"), (404, missing));
}

#[test]
fn put_worker_is_always_201_and_replaces_the_row() {
    let api = leader();
    let put = |body: Value| send(&api, "PUT", "/api/workers", body);
    assert_eq!(put(json!({"pioreactor_unit": "pio01"})), ok(201));
    let first = api.workers()[0].clone();
    assert_eq!((first.is_active, first.model_name), (1, None));

    api.add_experiment("exp1");
    api.assign("pio01", "exp1");
    send(
        &api,
        "PUT",
        "/api/workers/pio01/is_active",
        json!({"is_active": 0}),
    );
    let again = json!({"pioreactor_unit": "pio01", "model_name": "pioreactor_20ml",
                       "model_version": "1.0"});
    assert_eq!(put(again), ok(201));
    let w = api.workers()[0].clone();
    assert_eq!(w.is_active, 1, "the replace resets is_active");
    assert_ne!(w.added_at, first.added_at, "and added_at");
    assert_eq!(w.model_version.as_deref(), Some("1.0"));
    assert_eq!(
        api.assignment_of("pio01"),
        None,
        "and the cascade drops the assignment"
    );

    let invalid = json!({"error": "Invalid worker name", "status": 400,
        "cause": "Worker names must be hostnames, not raw addresses or localhost.",
        "remediation": "Use the Pioreactor hostname without a .local suffix."});
    for name in [
        "pio02.local",
        "localhost",
        "LocalHost",
        "$broadcast",
        "",
        "pio 02",
        "pio/2",
    ] {
        let answer = put(json!({"pioreactor_unit": name}));
        assert_eq!(answer, (400, invalid.clone()), "{name:?}");
    }
    for name in ["-x", "PIO_02"] {
        assert_eq!(put(json!({"pioreactor_unit": name})), ok(201), "{name:?}");
    }
    assert_eq!(api.workers().len(), 3);

    let required = "pioreactor_unit";
    let cases = [
        ("{}", "Object missing required field `pioreactor_unit`"),
        (
            r#"{"pioreactor_unit": null}"#,
            "Expected `str`, got `null` - at `$.pioreactor_unit`",
        ),
        (
            r#"{"pioreactor_unit": "a", "model_name": 1}"#,
            "Expected `str | null`, got `int` - at `$.model_name`",
        ),
        (
            r#"{"pioreactor_unit": "a", "address": "x"}"#,
            "Object contains unknown field `address`",
        ),
        ("[]", "Expected `object`, got `array`"),
        ("", "Input data was truncated"),
    ];
    for (body, cause) in cases {
        let answer = call(&api, "PUT", "/api/workers", Some(body));
        assert_eq!(answer, bad_body(cause, required), "{body}");
    }
}

#[test]
fn is_active_checks_the_worker_first_then_the_body_then_the_value() {
    let api = leader();
    api.add_worker("pio01", true, None, None);
    let put = |unit: &str, body: &str| {
        call(
            &api,
            "PUT",
            &format!("/api/workers/{unit}/is_active"),
            Some(body),
        )
    };
    assert_eq!(put("pio09", r#"{"is_active": 1}"#), unknown_worker("pio09"));
    assert_eq!(put("pio09", r#"{"is_active": 7}"#), unknown_worker("pio09"));
    let bool_cause = "Expected `int`, got `bool` - at `$.is_active`";
    assert_eq!(
        put("pio01", r#"{"is_active": true}"#),
        bad_body(bool_cause, "is_active")
    );
    let float_cause = "Expected `int`, got `float` - at `$.is_active`";
    assert_eq!(
        put("pio01", r#"{"is_active": 1.0}"#),
        bad_body(float_cause, "is_active")
    );
    let invalid = json!({"error": "Invalid status. Status must be integer 0 or 1.",
        "status": 400, "cause": "Received status '2'.", "remediation": "Send is_active as 0 or 1."});
    assert_eq!(put("pio01", r#"{"is_active": 2}"#), (400, invalid));
    assert_eq!(api.workers()[0].is_active, 1);
    assert_eq!(put("pio01", r#"{"is_active": 0}"#), ok(200));
    assert_eq!(api.workers()[0].is_active, 0);
}

#[test]
fn delete_worker_is_202_without_a_task_and_drops_the_assignment() {
    let api = leader();
    api.add_worker("pio01", true, None, None);
    api.add_experiment("exp1");
    api.assign("pio01", "exp1");
    assert_eq!(call(&api, "DELETE", "/api/workers/pio01", None), ok(202));
    assert!(api.workers().is_empty());
    assert_eq!(api.assignment_of("pio01"), None);
    let missing = json!({"error": "Worker pio01 not found", "status": 404,
        "cause": "Worker name not found in database.",
        "remediation": "Check the unit name or add the worker to the inventory."});
    assert_eq!(
        call(&api, "DELETE", "/api/workers/pio01", None),
        (404, missing)
    );
}

#[test]
fn assignments_answer_as_the_real_leader() {
    let api = leader();
    api.add_worker("pio02", false, Some("pioreactor_20ml"), Some("1.0"));
    api.add_worker("pio01", true, None, None);
    api.add_experiment("exp1");
    api.add_experiment("exp two");
    api.assign("pio02", "exp1");
    let list = json!([{"pioreactor_unit": "pio01", "experiment": null, "is_active": 1},
                      {"pioreactor_unit": "pio02", "experiment": "exp1", "is_active": 0}]);
    assert_eq!(get(&api, "/api/workers/assignments"), (200, list));

    let of_pio02 = json!({"pioreactor_unit": "pio02", "is_active": 0, "experiment": "exp1",
                          "model_name": "pioreactor_20ml", "model_version": "1.0"});
    assert_eq!(get(&api, "/api/workers/pio02/experiment"), (200, of_pio02));
    let unassigned = json!({"error": "Worker `pio01` is not assigned to any experiment.",
        "status": 404, "cause": "No experiment assignment for worker 'pio01'.",
        "remediation": "Assign the worker to an experiment before querying its assignment."});
    assert_eq!(
        get(&api, "/api/workers/pio01/experiment"),
        (404, unassigned)
    );
    let unknown = json!({"error": "Worker pio09 not found.", "status": 404,
        "cause": "Worker 'pio09' not in leader database.",
        "remediation": "Check the unit name or add the worker to the inventory."});
    assert_eq!(get(&api, "/api/workers/pio09/experiment"), (404, unknown));

    let assign = |exp: &str, unit: &str| {
        send(
            &api,
            "PUT",
            &format!("/api/experiments/{exp}/workers"),
            json!({"pioreactor_unit": unit}),
        )
    };
    assert_eq!(assign("exp%20two", "pio01"), ok(200));
    assert_eq!(api.assignment_of("pio01").as_deref(), Some("exp two"));
    assert_eq!(assign("exp%20two", "pio01"), ok(200), "a retry");
    assert_eq!(assign("exp1", "pio01"), ok(200), "a move");
    assert_eq!(api.assignment_of("pio01").as_deref(), Some("exp1"));
    assert_eq!(assign("exp1", "pio09"), unknown_worker("pio09"));
    let no_experiment = json!({"error": "Failed to add to database.", "status": 500,
        "cause": "Failed to insert assignment into database.",
        "remediation": "Check database logs and retry."});
    assert_eq!(assign("nope", "pio01"), (500, no_experiment));
    assert_eq!(api.assignment_of("pio01").as_deref(), Some("exp1"));

    let unassign = |exp: &str, unit: &str| {
        call(
            &api,
            "DELETE",
            &format!("/api/experiments/{exp}/workers/{unit}"),
            None,
        )
    };
    assert_eq!(unassign("exp1", "pio09"), unknown_worker("pio09"));
    let not_assigned = json!({"error": "Worker pio01 not found", "status": 404,
        "cause": "Worker name not found in database or not assigned to experiment.",
        "remediation": "Check the unit name and assignment, then retry."});
    assert_eq!(unassign("exp%20two", "pio01"), (404, not_assigned));
    assert_eq!(unassign("exp1", "pio01"), ok(200));
    assert_eq!(api.assignment_of("pio01"), None);
    assert_eq!(api.assignment_of("pio02").as_deref(), Some("exp1"));
}

#[test]
fn unassigning_everyone_is_a_task_and_fails_without_workers() {
    let api = leader();
    api.add_worker("pio01", true, None, None);
    api.add_experiment("exp1");
    api.assign("pio01", "exp1");
    let (status, accepted) = call(&api, "DELETE", "/api/workers/assignments", None);
    assert_eq!(status, 202);
    assert_eq!(api.assignment_of("pio01"), None);
    let path = accepted["result_url_path"].as_str().unwrap();
    let (status, done) = get(&api, path);
    assert_eq!(status, 200);
    let unit = json!({"ok": true, "unit": "pio01", "value": true});
    assert_eq!(
        (&done["status"], &done["result"]),
        (&json!("succeeded"), &json!({"pio01": unit}))
    );

    let empty = leader();
    let internal = "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.";
    let crash = json!({"error": internal, "status": 500, "cause": internal});
    assert_eq!(
        call(&empty, "DELETE", "/api/workers/assignments", None),
        (500, crash)
    );
}

#[test]
fn experiments_are_listed_newest_first_and_created_with_201() {
    let api = leader();
    api.add_worker("pio01", true, None, None);
    api.add_experiment("old");
    api.assign("pio01", "old");
    let body = json!({"experiment": "new one", "description": null, "tags": [" a ", "", "b"]});
    let (status, created) = send(&api, "POST", "/api/experiments", body);
    assert_eq!(status, 201);
    let stamp = created["created_at"].clone();
    let new = json!({"experiment": "new one", "created_at": stamp, "description": "",
                     "delta_hours": 0.0, "worker_count": 0, "tags": ["a", "b"]});
    assert_eq!(created, new);
    let (status, list) = get(&api, "/api/experiments");
    assert_eq!(status, 200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["experiment"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["new one", "old"]);
    assert_eq!((&list[0], &list[1]["worker_count"]), (&new, &json!(1)));
    assert_eq!(api.experiments(), ["new one", "old"]);

    let exists = json!({"error": "Experiment already exists", "status": 409,
        "cause": "Experiment name conflicts with an existing experiment.",
        "remediation": "Choose a different experiment name and retry."});
    assert_eq!(
        send(
            &api,
            "POST",
            "/api/experiments",
            json!({"experiment": "old"})
        ),
        (409, exists)
    );
    let current = json!({"error": "Experiment name cannot be 'current'", "status": 400,
        "cause": "'current' is a reserved experiment identifier.",
        "remediation": "Choose a different experiment name."});
    assert_eq!(
        send(
            &api,
            "POST",
            "/api/experiments",
            json!({"experiment": "Current"})
        ),
        (400, current)
    );
    let special = send(
        &api,
        "POST",
        "/api/experiments",
        json!({"experiment": "a/b"}),
    );
    assert_eq!(
        special.1["error"],
        "Experiment name cannot contain special characters (#, $, %, +, /, \\)"
    );
    let missing = call(
        &api,
        "POST",
        "/api/experiments",
        Some(r#"{"description": "x"}"#),
    );
    assert_eq!(
        missing,
        bad_body("Object missing required field `experiment`", "experiment")
    );
    assert_eq!(api.experiments().len(), 2);
}

#[test]
fn reboot_is_a_task_polled_at_its_result_url_path() {
    let api = leader();
    api.add_worker("pio01", true, None, None);
    let reboot = |unit: &str| {
        call(
            &api,
            "POST",
            &format!("/api/units/{unit}/system/reboot"),
            None,
        )
    };
    let unknown = json!({"error": "Unknown Pioreactor unit: pio09", "status": 400,
        "cause": "The requested unit is not registered in this cluster.",
        "remediation": "Choose $broadcast, the leader, or a Pioreactor unit from inventory."});
    assert_eq!(reboot("pio09"), (400, unknown));

    let (status, accepted) = reboot("pio01");
    assert_eq!(status, 202);
    let id = accepted["task_id"].as_str().unwrap().to_string();
    let path = format!("/unit_api/task_results/{id}");
    let expected = json!({"unit": common::HOSTNAME, "task_id": id, "result_url_path": path,
                          "status": "accepted"});
    assert_eq!(accepted, expected);
    let succeeded = json!({"task_id": id, "result_url_path": path, "status": "succeeded",
                           "result": {"pio01": {"ok": true, "unit": "pio01", "value": true}}});
    assert_eq!(get(&api, &path), (200, succeeded.clone()));
    assert_eq!(get(&api, &path), (200, succeeded), "results are kept");

    api.next_task(TaskOutcome::Pending(2));
    let path = reboot("pio01").1["result_url_path"]
        .as_str()
        .unwrap()
        .to_string();
    let id = path.rsplit('/').next().unwrap();
    let pending = json!({"task_id": id, "result_url_path": path, "status": "pending"});
    assert_eq!(get(&api, &path), (202, pending.clone()));
    assert_eq!(get(&api, &path), (202, pending));
    assert_eq!(get(&api, &path).1["status"], "succeeded");

    api.next_task(TaskOutcome::Fail("Rebooting failed".into()));
    let path = reboot(common::HOSTNAME).1["result_url_path"]
        .as_str()
        .unwrap()
        .to_string();
    let id = path.rsplit('/').next().unwrap();
    let failed = json!({"task_id": id, "result_url_path": path, "status": "failed",
        "error": "Rebooting failed", "cause": "Huey task failed with an exception.",
        "remediation": "Check logs and retry."});
    assert_eq!(get(&api, &path), (200, failed));

    api.next_task(TaskOutcome::Unreachable);
    let path = reboot("$broadcast").1["result_url_path"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, done) = get(&api, &path);
    assert_eq!((status, &done["status"]), (200, &json!("succeeded")));
    let offline = json!({"ok": false, "unit": "pio01", "status_code": null, "retryable": true,
        "error": {"kind": "connection_error",
                  "message": "Could not POST to pio01's /unit_api/system/reboot."}});
    assert_eq!(done["result"]["pio01"], offline);
    assert_eq!(done["result"][common::HOSTNAME]["ok"], false);

    let never = "/unit_api/task_results/never-issued";
    let pending = json!({"task_id": "never-issued", "result_url_path": never, "status": "pending"});
    assert_eq!(get(&api, never), (202, pending));
}

#[test]
fn blink_is_accepted_for_any_name() {
    let api = leader();
    let accepted = (202, json!({"status": "accepted"}));
    assert_eq!(
        call(&api, "POST", "/api/workers/pio09/blink", None),
        accepted
    );
}

#[test]
fn unknown_routes_wrong_methods_and_other_servers() {
    let api = leader();
    let not_found = "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";
    let answer = json!({"error": not_found, "status": 404, "cause": not_found});
    assert_eq!(get(&api, "/api/nothing/here"), (404, answer.clone()));
    assert_eq!(get(&api, "/api/workers/"), (404, answer));
    let not_allowed = "The method is not allowed for the requested URL.";
    let answer = json!({"error": not_allowed, "status": 405, "cause": not_allowed});
    assert_eq!(
        call(&api, "POST", "/api/workers", Some("{}")),
        (405, answer)
    );

    api.set_mode(Mode::Broken);
    let (status, body) = get(&api, "/api/workers");
    assert_eq!((status, body["status"].clone()), (500, json!(500)));
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("The server encountered an internal error")
    );

    api.set_mode(Mode::Worker);
    let hint =
        "Can't access /api/ endpoints when this unit isn't the leader. Did you mean /unit_api/?";
    let answer = json!({"error": hint, "status": 404, "cause": hint});
    assert_eq!(get(&api, "/api/workers"), (404, answer));

    api.set_mode(Mode::Foreign);
    let (status, body) = get(&api, "/api/workers");
    assert_eq!(status, 404);
    assert!(body.as_str().unwrap().contains("Not Found"), "{body}");

    api.set_mode(Mode::Leader);
    assert_eq!(get(&api, "/api/workers"), (200, json!([])));
}

#[test]
fn records_every_request_in_order() {
    let api = leader();
    api.add_worker("pio01", true, None, None);
    get(&api, "/api/workers?fields=all");
    send(
        &api,
        "PUT",
        "/api/workers/pio01/is_active",
        json!({"is_active": 0}),
    );
    call(&api, "PUT", "/api/workers", Some("not json"));
    let recorded = |method: &str, path: &str, body: Option<Value>| Recorded {
        method: method.into(),
        path: path.into(),
        body,
    };
    let expected = vec![
        recorded("GET", "/api/workers?fields=all", None),
        recorded(
            "PUT",
            "/api/workers/pio01/is_active",
            Some(json!({"is_active": 0})),
        ),
        recorded("PUT", "/api/workers", Some(json!("not json"))),
    ];
    assert_eq!(api.requests(), expected);
    assert_eq!(api.requests_to("PUT", "/api/workers"), expected[1..]);
    assert_eq!(api.requests_to("GET", "/api/workers/"), []);
}

#[test]
fn serves_on_the_given_loopback_address() {
    let api = LeaderApi::start("127.0.1.7:0");
    assert_eq!(api.addr().ip().to_string(), "127.0.1.7");
    assert_eq!(api.url(), format!("http://127.0.1.7:{}", api.port()));
    assert_eq!(get(&api, "/api/workers").0, 200);
    // (Whether the port closes at once after Drop is up to tiny_http's accept thread: not asserted.)
}

#[test]
#[should_panic(expected = "not a loopback address")]
fn refuses_other_addresses() {
    LeaderApi::start("0.0.0.0:0");
}
