"""Setting Sayso up on a machine and running its processes."""
