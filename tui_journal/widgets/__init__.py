"""Small widgets shared by the screens; all of them cheap to draw over a slow SSH link."""
