//! A small W3C WebDriver client over plain HTTP, enough to drive the real Frontdesk window through
//! `tauri-driver` + `WebKitWebDriver`. The session is always deleted on drop: WebKitWebDriver allows
//! one session at a time, and a leaked one would break the next test.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `tauri-driver`, started on free ports, killed on drop.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    pub fn start() -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the end-to-end test drives a real window and needs an X display: run it through scripts/test.sh (it uses xvfb-run)"
        );
        let bin = which("tauri-driver").expect(
            "tauri-driver is not installed: run scripts/setup.sh (it runs `cargo install tauri-driver --locked`)",
        );
        assert!(
            which("WebKitWebDriver").is_some(),
            "WebKitWebDriver is missing: run scripts/setup.sh (it installs the webkit2gtk-driver package)"
        );
        let port = free_port();
        let native = free_port();
        // If the test process dies without running destructors (a panic that aborts, a stack
        // overflow), the driver must die too: a leaked driver keeps the test log's pipe open and
        // the CI run hangs. `setpriv --pdeathsig` (util-linux, always there on Debian) arranges it.
        // TERM, not KILL: on TERM tauri-driver also stops the WebKitWebDriver it started.
        let mut command = Command::new("setpriv");
        command
            .args(["--pdeathsig", "TERM", "--"])
            .arg(bin)
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let child = command.spawn().expect("start tauri-driver");
        // tauri-driver listens before the WebKitWebDriver it starts does, and forwards a new-session
        // request to it at once: a request that arrives too early is dropped ("peer disconnected",
        // tauri-apps/tauri#3576). Wait for both.
        let deadline = Instant::now() + Duration::from_secs(20);
        for (what, p) in [("tauri-driver", port), ("WebKitWebDriver", native)] {
            while std::net::TcpStream::connect(("127.0.0.1", p)).is_err() {
                assert!(Instant::now() < deadline, "{what} did not start listening on {p}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // TERM first: tauri-driver then stops its WebKitWebDriver (a KILL would orphan it, and the
        // orphan would hold the test log open). KILL only if it does not go.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

pub struct Session {
    agent: ureq::Agent,
    base: String,
    pub id: String,
}

/// The app binary cargo built for these tests.
pub fn app() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_frontdesk"))
}

/// WebKitWebDriver and two apps at once on 2 cores make flaky tests: one window at a time within
/// a test binary (cargo runs the binaries one after another).
pub fn one_window() -> std::sync::MutexGuard<'static, ()> {
    static ONE_WINDOW_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE_WINDOW_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Clone)]
pub struct Element(pub String);

impl Session {
    /// Starts the app binary with `args` in a new WebDriver session.
    pub fn start(driver: &Driver, application: &Path, args: &[&str]) -> Session {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{}", driver.port);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application, "args": args}
        }}});
        let mut resp = agent.post(format!("{base}/session")).send_json(&caps).expect("new session request");
        let body: Value = resp.body_mut().read_json().expect("new session response");
        let id = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("the app did not start under WebDriver: {body}"))
            .to_owned();
        Session { agent, base, id }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body).unwrap_or_else(|e| panic!("{e}"))
    }

    /// One WebDriver command; a refusal comes back as its message (status and body).
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}/session/{}{}", self.base, self.id, path);
        let mut resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self.agent.post(&url).send_json(b.unwrap_or_else(|| json!({}))),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status();
        let v: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(format!("{method} {path} failed ({status}): {v}"));
        }
        Ok(v["value"].clone())
    }

    /// The elements matching `css` now. A page changing under the query (WebKitWebDriver's "stale
    /// element" while the list re-renders) counts as no match yet; waits retry.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = match self.try_call("POST", "/elements", Some(json!({"using": "css selector", "value": css}))) {
            Ok(v) => v,
            Err(e) if e.contains("stale element") => return Vec::new(),
            Err(e) => panic!("{e}"),
        };
        v.as_array()
            .map(|a| a.iter().filter_map(|e| e[ELEMENT_KEY].as_str().map(|s| Element(s.to_owned()))).collect())
            .unwrap_or_default()
    }

    /// Waits for `css` to match an element, and returns the first one.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.find_all(css).into_iter().next() {
                return e;
            }
            if Instant::now() > deadline {
                let shot = self.save_screenshot_named("failure");
                // What was on screen, in words too: a snapshot is not always possible.
                let dialog = self
                    .try_call(
                        "POST",
                        "/execute/sync",
                        Some(json!({"script": "const d = document.querySelector('[aria-modal=\"true\"]'); return (d ?? document.querySelector('main') ?? document.body).innerText.slice(0, 1500);", "args": []})),
                    )
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .unwrap_or_default();
                panic!(
                    "nothing matched {css} within {timeout:?}; screenshot at {}; on screen:\n{dialog}",
                    shot.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `script` (a JS function body returning a value) returns something truthy.
    pub fn wait_until(&self, what: &str, script: &str, args: Vec<Value>, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.execute(script, args.clone());
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            if Instant::now() > deadline {
                let shot = self.save_screenshot_named("failure");
                panic!("timed out waiting for {what}; screenshot at {}", shot.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for `css` and clicks the first match; found again if the page re-rendered it between
    /// finding and clicking (a list updating as it is typed into).
    pub fn click_on(&self, css: &str) {
        for _ in 0..5 {
            let e = self.wait_for(css, Duration::from_secs(15));
            match self.try_call("POST", &format!("/element/{}/click", e.0), None) {
                Err(err) if err.contains("stale element") => std::thread::sleep(Duration::from_millis(100)),
                // Anything else (e.g. something covering it) is said the way `click` says it.
                Err(_) => return self.click(&e),
                Ok(_) => return,
            }
        }
        panic!("{css} kept being re-rendered under the click");
    }

    /// Fills the sign-in form (waiting for it to show) and presses the button.
    pub fn sign_in(&self, username: &str, password: &str) {
        let user = self.wait_for("[data-testid=signin-form] input[name=username]", Duration::from_secs(60));
        let pass = self.wait_for("[data-testid=signin-form] input[name=password]", Duration::from_secs(15));
        self.clear(&user);
        self.type_into(&user, username);
        self.clear(&pass);
        self.type_into(&pass, password);
        self.click_on("[data-testid=signin-form] [type=submit]");
    }

    /// Calls a core command the way the window does: its answer, or the `{code, message, field}`
    /// refusal. (A script's promise is not awaited by every driver: the answer is parked on the
    /// window and polled.)
    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        self.execute(
            "window.__testInvoke = undefined;
             window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
               v => { window.__testInvoke = {ok: v === undefined ? null : v}; },
               e => { window.__testInvoke = {err: e}; });
             return true;",
            vec![json!(command), args],
        );
        let answer = self.wait_until(
            &format!("the answer to {command}"),
            "return window.__testInvoke === undefined ? null : window.__testInvoke;",
            vec![],
            Duration::from_secs(60),
        );
        match answer.get("err") {
            Some(e) => Err(e.clone()),
            None => Ok(answer["ok"].clone()),
        }
    }

    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Clicks an element; when something covers it, the failure names what (and saves a screenshot).
    pub fn click(&self, e: &Element) {
        let Err(err) = self.try_call("POST", &format!("/element/{}/click", e.0), None) else { return };
        if !err.contains("intercepted") {
            panic!("{err}");
        }
        let cover = self.execute(
            "const r = arguments[0].getBoundingClientRect();
             const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             const name = (el) => el ? el.tagName.toLowerCase() + (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '') + (el.className ? `.${String(el.className).split(' ').join('.')}` : '') : 'nothing';
             const chain = []; for (let el = top; el && chain.length < 4; el = el.parentElement) chain.push(name(el));
             return chain.join(' < ');",
            vec![json!({ ELEMENT_KEY: e.0 })],
        );
        let shot = self.save_screenshot_named("failure");
        panic!("{err}\nthe click landed on {cover}; screenshot at {}", shot.display());
    }

    pub fn clear(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/clear", e.0), None);
    }

    pub fn type_into(&self, e: &Element, text: &str) {
        self.call("POST", &format!("/element/{}/value", e.0), Some(json!({"text": text})));
    }

    pub fn text(&self, e: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), None).as_str().unwrap_or_default().to_owned()
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None).as_str().map(str::to_owned)
    }

    /// Presses keys on whatever has focus (W3C actions), e.g. a single shortcut letter.
    pub fn press(&self, key: &str) {
        let actions: Vec<Value> = key
            .chars()
            .flat_map(|c| {
                [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
            })
            .collect();
        self.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
        self.call("DELETE", "/actions", None);
    }

    /// Saves a PNG of the window under `target/screenshots/<name>.png` and returns its path.
    pub fn save_screenshot_named(&self, name: &str) -> std::path::PathBuf {
        use base64::Engine;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&dir).expect("create target/screenshots");
        let path = dir.join(format!("{name}.png"));
        // A file left by an earlier run must not pass for this one's.
        let _ = std::fs::remove_file(&path);
        let url = format!("{}/session/{}/screenshot", self.base, self.id);
        // A snapshot answers in well under a second when it works; when WebKit does not answer it
        // (it happens on some screens), waiting longer does not help: the X display is read instead.
        let saved = self
            .agent
            .get(&url)
            .config()
            .timeout_global(Some(Duration::from_secs(5)))
            .build()
            .call()
            .map_err(|e| e.to_string())
            .and_then(|mut resp| resp.body_mut().read_json::<Value>().map_err(|e| e.to_string()))
            .and_then(|v| v["value"].as_str().map(str::to_owned).ok_or_else(|| format!("no image in {v}")))
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| e.to_string()))
            .and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| e.to_string()));
        if let Err(e) = saved {
            match capture_display(&path) {
                // The whole screen: under the tests' Xvfb the window is all there is on it.
                Ok(()) => eprintln!("screenshot {name}: the driver's snapshot failed ({e}); taken from the X display"),
                // Said here: a missing screenshot is otherwise only a path that does not exist.
                Err(x) => eprintln!("screenshot {name} not saved: {e}; from the X display: {x}"),
            }
        }
        path
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let url = format!("{}/session/{}", self.base, self.id);
        let _ = self.agent.delete(&url).call();
    }
}

/// Writes a PNG of the whole X display (`$DISPLAY`) with ImageMagick's `import` (installed by
/// scripts/setup.sh with Xvfb).
fn capture_display(path: &Path) -> Result<(), String> {
    let display = std::env::var("DISPLAY").map_err(|_| "no DISPLAY".to_owned())?;
    let out = std::process::Command::new("import")
        .args(["-display", &display, "-window", "root"])
        .arg(path)
        .output()
        .map_err(|e| format!("import: {e}"))?;
    if out.status.success() && path.exists() {
        Ok(())
    } else {
        Err(format!("import: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}
