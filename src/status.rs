//! The appointment status cycle as front desks live it:
//! booked → confirmed → arrived → in room → completed, plus no-show, cancelled and rescheduled.
//! The allowed transitions are one table; everything else is refused with a clear message. Which
//! statuses hold the appointment's time (and so may never overlap) is decided here too.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Booked,
    Confirmed,
    Arrived,
    InRoom,
    Completed,
    NoShow,
    Cancelled,
    Rescheduled,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Booked,
        Status::Confirmed,
        Status::Arrived,
        Status::InRoom,
        Status::Completed,
        Status::NoShow,
        Status::Cancelled,
        Status::Rescheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Booked => "booked",
            Status::Confirmed => "confirmed",
            Status::Arrived => "arrived",
            Status::InRoom => "in_room",
            Status::Completed => "completed",
            Status::NoShow => "no_show",
            Status::Cancelled => "cancelled",
            Status::Rescheduled => "rescheduled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Booked => "booked",
            Status::Confirmed => "confirmed",
            Status::Arrived => "arrived",
            Status::InRoom => "in room",
            Status::Completed => "completed",
            Status::NoShow => "no-show",
            Status::Cancelled => "cancelled",
            Status::Rescheduled => "rescheduled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether an appointment in this status holds its time on the doctor's and the patient's
    /// calendars. A no-show, a cancellation and a reschedule give the time back.
    pub fn holds_time(self) -> bool {
        !matches!(self, Status::NoShow | Status::Cancelled | Status::Rescheduled)
    }
}

/// The statuses that hold time ([`Status::holds_time`]) as an SQL list, for `status IN {HOLDS_TIME}`.
/// Migration 0006's triggers spell the same list; `tests/no_double_booking.rs` checks all three agree.
pub const HOLDS_TIME: &str = "('booked','confirmed','arrived','in_room','completed')";

/// Allowed transitions: from → the statuses it may move to.
const TRANSITIONS: &[(Status, &[Status])] = {
    use Status::*;
    &[
        (Booked, &[Confirmed, Arrived, NoShow, Cancelled, Rescheduled]),
        (Confirmed, &[Booked, Arrived, NoShow, Cancelled, Rescheduled]),
        // "Arrived" by mistake can be undone back to confirmed.
        (Arrived, &[InRoom, Completed, Confirmed, NoShow]),
        (InRoom, &[Completed, Arrived]),
        // A patient marked no-show who turns up late is marked arrived.
        (NoShow, &[Arrived, Booked]),
        (Completed, &[]),
        (Cancelled, &[]),
        (Rescheduled, &[]),
    ]
};

pub fn can_move(from: Status, to: Status) -> bool {
    TRANSITIONS.iter().any(|(f, tos)| *f == from && tos.contains(&to))
}

pub fn next_statuses(from: Status) -> Vec<Status> {
    TRANSITIONS.iter().find(|(f, _)| *f == from).map(|(_, tos)| tos.to_vec()).unwrap_or_default()
}

/// Where an appointment comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Phone,
    WalkIn,
    VoiceAgent,
    Online,
    Emr,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Phone => "phone",
            Source::WalkIn => "walk_in",
            Source::VoiceAgent => "voice_agent",
            Source::Online => "online",
            Source::Emr => "emr",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        [Source::Phone, Source::WalkIn, Source::VoiceAgent, Source::Online, Source::Emr]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}
