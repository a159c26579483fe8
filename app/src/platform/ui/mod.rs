//! Pages and components of the platform slice.
pub mod account;
pub mod admin;
pub mod attachments;
pub mod audit;
pub mod home;
pub mod layout;
pub mod login;
pub mod notifications;
pub mod pages;
pub mod reset;
pub mod sessions;
pub mod setup;
pub mod signup;
pub mod widgets;
