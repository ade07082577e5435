"""Built-in validator plugins (listed in ``govreport.plugins.BUILTIN_PLUGINS``)."""
