//! What a compliance officer asks of the desk: the audit chain verified, and who did what.

use crate::audit::{self, Verification};
use crate::desk::Ctx;
use crate::error::Result;
use crate::roles::Action;

/// Verifies the chain for a signed-in owner, admin or operations person.
pub fn verify_chain(ctx: &Ctx) -> Result<Verification> {
    ctx.read(Action::ViewAudit, |conn, _, _| audit::verify(conn))
}
