//! The clinic hub (`frontdesk-hub`): the server several desks of one clinic share.
//!
//! - [`db`]: the PostgreSQL pool and the hub's numbered migrations.
//! - [`enrol`]: one-time enrolment codes, desk credentials (only their hashes are stored) and
//!   revocation.
//! - [`http`]: the HTTP API desks speak (`/health`, `/v1/…`), each route a few lines over the
//!   modules above.
//! - [`cluster`]: a throwaway PostgreSQL cluster (tests, benchmarks and `frontdesk-hub try`).
//!
//! A hub process keeps nothing PostgreSQL cannot rebuild, so several can serve behind a load
//! balancer.

pub mod cluster;
pub mod db;
pub mod enrol;
pub mod error;
pub mod http;

pub use error::{HubError, Result};
