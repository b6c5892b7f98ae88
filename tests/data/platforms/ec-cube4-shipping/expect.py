#!/usr/bin/env python3
"""Expected figures for the EC-CUBE 4 配送CSV fixture (rules: see SOURCE.md).

The 配送CSV has the 受注CSV's columns and rules, so the 受注CSV's script is run on this
folder with this download's name prefix (shipping_YYYYmmddHHMMSS.csv).
"""
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.argv = [sys.argv[0], HERE, 'shipping_']
runpy.run_path(os.path.join(HERE, '..', 'ec-cube4', 'expect.py'), run_name='__main__')
