"""Domain core: brands, agents, contacts, cases, messages, incidents and the services that change them."""
