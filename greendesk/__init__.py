"""GreenDesk: green factory (绿色工厂) self-assessment for GB/T 36132."""

__version__ = "0.1.0"
