//! Timings on stderr when `BROADSHEET_TIMINGS` is set (for the benchmarks): one line
//! per mark, `timing: what: seconds`.

use std::time::Instant;

/// A stopwatch that writes only when timings are asked for.
#[derive(Debug, Clone, Copy)]
pub struct Clock(Option<Instant>);

impl Clock {
    /// Started now when `BROADSHEET_TIMINGS` is set; otherwise it never writes.
    pub fn new() -> Clock {
        Clock(std::env::var_os("BROADSHEET_TIMINGS").map(|_| Instant::now()))
    }

    /// Write the time since the clock started, and leave it running.
    pub fn at(&self, what: &str) {
        if let Some(t) = self.0 {
            eprintln!("timing: {what}: {:.3} s", t.elapsed().as_secs_f64());
        }
    }

    /// Write the time since the clock started (or since the last lap), and start again.
    pub fn lap(&mut self, what: &str) {
        if self.0.is_some() {
            self.at(what);
            self.0 = Some(Instant::now());
        }
    }
}

/// With timings on, the time since the program started ([`start`]): `timing: what: s`.
pub fn since_start(what: &str) {
    if let Some(c) = PROGRAM.get() {
        c.at(what);
    }
}

/// Start the program's clock (at the top of `main`).
pub fn start() {
    PROGRAM.get_or_init(Clock::new);
}

static PROGRAM: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();

/// With timings on, the time since the reader's clock started (at its first mark):
/// `timing: reader: what: s`.
pub fn reader(what: &str) {
    static READER: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();
    READER
        .get_or_init(Clock::new)
        .at(&format!("reader: {what}"));
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::new()
    }
}
