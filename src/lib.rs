//! Frontdesk core: the clinic's offline store, its rules, roles and audit, with no Tauri and no
//! window. The desktop shell (`src-tauri/`) calls the functions here through thin IPC adapters.
//!
//! Every user action is a plain function `fn(&Ctx, Request) -> Result<Response>`. A read goes
//! through [`Ctx::read`]; a change through [`Ctx::write`], the one unit of work that authorises
//! the caller inside its transaction, writes the change with its audit entries, hands it to the
//! outbox, commits, and only then publishes its [`events::Event`]s (see `desk.rs`). Modules form
//! one-way layers (`tests/layers.rs`).

pub mod alerts;
pub mod audit;
pub mod audit_desk;
pub mod bindings;
pub mod booking;
pub mod callbacks;
pub mod clinic;
pub mod clock;
pub mod compliance;
pub mod control_center;
pub mod demo;
pub mod desk;
pub mod error;
pub mod escalations;
pub mod events;
pub mod import;
pub mod password;
pub mod patients;
pub mod phone;
pub mod practice;
pub mod roles;
pub mod schedule;
pub mod search;
pub mod session;
pub mod settings;
pub mod sla;
pub mod staff;
pub mod status;
pub mod store;
pub mod support;
pub mod waitlist;
pub mod work;

pub use desk::{Ctx, Desk, SessionToken};
pub use error::{ApiError, Error, ErrorCode, Result};
