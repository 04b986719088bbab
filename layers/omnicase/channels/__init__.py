"""Channel adapters: provider payloads in, InboundMessage out; outbound messages to provider formats."""
