//! What a compliance officer asks of the desk: the audit chain verified, and who did what.

use crate::audit::{self, Verification};
use crate::desk::Ctx;
use crate::error::{Error, Result};
use crate::roles::Action;

/// Verifies the chain, and its end against the head sealed outside the file, for a signed-in
/// owner, admin or operations person.
pub fn verify_chain(ctx: &Ctx) -> Result<Verification> {
    ctx.read(Action::ViewAudit, |conn, _, _| match ctx.desk.audit_head() {
        Ok(head) => audit::verify(conn, Some(&head)),
        Err(Error::Tampered(what)) => {
            let mut v = audit::verify(conn, None)?;
            v.head_mismatch = true;
            v.intact = false;
            v.summary = format!("{} Also, {what}.", v.summary);
            Ok(v)
        }
        Err(e) => Err(e),
    })
}
