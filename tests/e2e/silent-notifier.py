"""A notification service that takes the bus name and never answers: the failure that makes a
blocking notify call hang forever. The app must time out and show its own pop-up instead."""
import dbus
import dbus.lowlevel
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName("org.freedesktop.Notifications", bus)
bus.add_message_filter(lambda _bus, _message: dbus.lowlevel.HANDLER_RESULT_HANDLED)
print("owning org.freedesktop.Notifications", flush=True)
GLib.MainLoop().run()
