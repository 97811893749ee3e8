"""SMS transports (a base class, console and locmem backends): below the core, which sends verification codes."""
