"""Local Clerk instance: an emulator of Clerk's Frontend and Backend APIs."""
