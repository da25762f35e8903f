"""The landscape map: the catalogue's event-storming big picture as plain values.

``model`` holds the facts a service gathers (every event type with its domain, bus, producer
and the services that receive it) and what a reader asks for (filters, a focus, a view);
``graph`` turns the chosen facts into nodes and links, in detail or summarised by domain;
``layout`` places them in columns without overlaps. No Flask, no SQLAlchemy.
"""
